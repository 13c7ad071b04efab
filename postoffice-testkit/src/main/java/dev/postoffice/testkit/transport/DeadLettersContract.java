package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.transport.TransportContract} group "dead letters".
 * A dead-lettered message moves to the dead-letter queue with the reason.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class DeadLettersContract extends TransportContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected DeadLettersContract(TransportFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName(
      "a dead-lettered message moves to the dead-letter queue with its id, headers and the reason")
  void deadLetter() throws Exception {
    String d = declared();
    Recorder r =
        recording(
            d,
            m ->
                m.messageId().startsWith("poison")
                    ? Disposition.deadLetter("cannot parse")
                    : Disposition.ack());
    Recorder dead = acking(transport.deadLetterDestination(d));
    OutboundMessage poison = message("poison-" + UUID.randomUUID());
    publish(d, poison);

    InboundMessage dl = dead.next();
    assertThat(dl.messageId()).isEqualTo(poison.messageId());
    assertThat(dl.body()).isEqualTo(poison.body());
    assertThat(dl.headers())
        .containsAllEntriesOf(poison.headers())
        .containsEntry(Transport.HEADER_DEAD_LETTER_REASON, "cannot parse");

    OutboundMessage marker = message();
    publish(d, marker);
    assertThat(r.until(marker.messageId()))
        .extracting(InboundMessage::messageId)
        .containsExactly(poison.messageId(), marker.messageId());
  }
}
