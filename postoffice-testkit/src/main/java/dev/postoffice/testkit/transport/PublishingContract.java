package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.postoffice.spi.OutboundMessage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.transport.TransportContract} group "publishing".
 * Declaring destinations and publishing to them: what a publish's future promises.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class PublishingContract extends TransportContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected PublishingContract(TransportFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("declare is idempotent")
  void declareTwice() throws Exception {
    String d = declared();
    transport.declare(d);
    OutboundMessage m = message();
    publish(d, m);
    Recorder r = acking(d);
    assertThat(r.next().messageId()).isEqualTo(m.messageId());
    OutboundMessage marker = message();
    publish(d, marker);
    assertThat(r.until(marker.messageId())).hasSize(1);
  }

  @Test
  @DisplayName("the dead-letter destination is another queue, and the same every time")
  void deadLetterName() {
    String d = declared();
    assertThat(transport.deadLetterDestination(d))
        .isNotEqualTo(d)
        .isEqualTo(transport.deadLetterDestination(d));
  }

  @Test
  @DisplayName("a publish's future completes once the transport has the message")
  void completes() throws Exception {
    String d = declared();
    CompletableFuture<Void> f = transport.publish(d, message());
    await(f);
    assertThat(f).isCompleted();
    assertThat(f.isCompletedExceptionally()).isFalse();
  }

  @Test
  @DisplayName(
      "publishAll returns one future per message, in order, each completing, and delivers them all")
  void publishAll() throws Exception {
    String d = declared();
    List<OutboundMessage> messages = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      messages.add(message("m-" + i + "-" + UUID.randomUUID()));
    }
    List<CompletableFuture<Void>> futures = transport.publishAll(d, messages);
    assertThat(futures).hasSize(messages.size());
    for (CompletableFuture<Void> f : futures) {
      await(f);
    }
    Recorder r = acking(d);
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < messages.size(); i++) {
      ids.add(r.next().messageId());
    }
    assertThat(ids)
        .containsExactlyInAnyOrderElementsOf(
            messages.stream().map(OutboundMessage::messageId).toList());
  }

  @Test
  @DisplayName("a message published before anyone subscribes waits for a subscriber")
  void waitsForSubscriber() throws Exception {
    String d = declared();
    OutboundMessage m = message();
    publish(d, m);
    assertThat(acking(d).next().messageId()).isEqualTo(m.messageId());
  }

  @Test
  @DisplayName("a publish on a closed transport fails")
  void afterClose() {
    String d = declared();
    transport.close();
    assertThat(catchThrowable(() -> await(transport.publish(d, message())))).isNotNull();
  }
}
