package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.transport.TransportContract} group "delivery".
 * What a subscriber receives: the message as published, once when acknowledged.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class DeliveryContract extends TransportContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected DeliveryContract(TransportFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("keeps the message id, headers, body and content type")
  void preserves() throws Exception {
    String d = declared();
    Recorder r = acking(d);
    OutboundMessage m = message();
    publish(d, m);

    InboundMessage in = r.next();
    assertThat(in.messageId()).isEqualTo(m.messageId());
    assertThat(in.headers()).containsAllEntriesOf(m.headers());
    assertThat(in.body()).isEqualTo(m.body());
    assertThat(in.contentType()).isEqualTo(m.contentType());
    assertThat(in.redelivered()).isFalse();
    if (countsDeliveries()) {
      assertThat(in.deliveryCount()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("delivers an empty body without headers")
  void empty() throws Exception {
    String d = declared();
    Recorder r = acking(d);
    OutboundMessage m =
        new OutboundMessage(UUID.randomUUID().toString(), Map.of(), new byte[0], "text/plain");
    publish(d, m);
    InboundMessage in = r.next();
    assertThat(in.body()).isEmpty();
    assertThat(in.contentType()).isEqualTo("text/plain");
  }

  @Test
  @DisplayName("delivers each of many acknowledged messages once")
  void many() throws Exception {
    String d = declared();
    Recorder r = acking(d);
    List<OutboundMessage> messages = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      messages.add(message());
    }
    for (CompletableFuture<Void> f : transport.publishAll(d, messages)) {
      await(f);
    }
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      ids.add(r.next().messageId());
    }
    assertThat(ids).doesNotHaveDuplicates().hasSize(messages.size());
  }

  @Test
  @DisplayName("an acknowledged message is not delivered again")
  void ackRemoves() throws Exception {
    String d = declared();
    Recorder r = acking(d);
    OutboundMessage m = message();
    publish(d, m);
    assertThat(r.next().messageId()).isEqualTo(m.messageId());
    OutboundMessage marker = message();
    publish(d, marker);
    assertThat(r.until(marker.messageId()))
        .extracting(InboundMessage::messageId)
        .containsExactly(marker.messageId());
  }
}
