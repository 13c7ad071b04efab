package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.transport.TransportContract} group "redelivery".
 * Requeued messages and handlers that throw: delivered again, up to the maximum deliveries.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class RedeliveryContract extends TransportContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected RedeliveryContract(TransportFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("a requeued message comes again with the same id, marked redelivered")
  void requeue() throws Exception {
    String d = declared();
    Recorder r =
        recording(d, m -> m.redelivered() ? Disposition.ack() : Disposition.requeue("not yet"));
    OutboundMessage m = message();
    publish(d, m);

    InboundMessage first = r.next();
    InboundMessage second = r.next();
    assertThat(second.messageId()).isEqualTo(first.messageId()).isEqualTo(m.messageId());
    assertThat(second.redelivered()).isTrue();
    assertThat(second.body()).isEqualTo(m.body());
    assertThat(second.headers()).containsAllEntriesOf(m.headers());
  }

  @Test
  @DisplayName("the delivery count goes up with each delivery")
  void deliveryCount() throws Exception {
    Assumptions.assumeTrue(countsDeliveries(), "the transport does not report delivery counts");
    String d = declared();
    Recorder r =
        recording(d, m -> m.deliveryCount() < 2 ? Disposition.requeue("again") : Disposition.ack());
    publish(d, message());
    assertThat(r.next().deliveryCount()).isEqualTo(1);
    assertThat(r.next().deliveryCount()).isEqualTo(2);
  }

  @Test
  @DisplayName("a handler that throws gets the message again")
  void exceptionRequeues() throws Exception {
    String d = declared();
    Recorder r =
        recording(
            d,
            m -> {
              if (!m.redelivered()) {
                throw new IllegalStateException("handler broke");
              }
              return Disposition.ack();
            });
    OutboundMessage m = message();
    publish(d, m);
    assertThat(r.next().messageId()).isEqualTo(m.messageId());
    InboundMessage again = r.next();
    assertThat(again.messageId()).isEqualTo(m.messageId());
    assertThat(again.redelivered()).isTrue();
  }

  @Test
  @DisplayName("a message requeued on its last allowed delivery goes to the dead-letter queue")
  void tooManyRequeues() throws Exception {
    String d = declared();
    Recorder r = recording(d, m -> Disposition.requeue("still broken"));
    OutboundMessage m = message();
    publish(d, m);
    Recorder dead = acking(transport.deadLetterDestination(d));

    InboundMessage dl = dead.next();
    assertThat(dl.messageId()).isEqualTo(m.messageId());
    assertThat(dl.headers()).containsKey(Transport.HEADER_DEAD_LETTER_REASON);
    assertThat(r.all).extracting(InboundMessage::messageId).containsOnly(m.messageId());
    assertThat(r.all.size()).isBetween(maxDeliveries(), maxDeliveries() + 1);
  }
}
