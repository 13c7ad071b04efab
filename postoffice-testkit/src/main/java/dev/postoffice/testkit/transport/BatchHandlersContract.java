package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
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
 * The tests of the {@link dev.postoffice.testkit.transport.TransportContract} group "batch
 * handlers". Batch handlers get every message once, and each is settled as its disposition says.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class BatchHandlersContract extends TransportContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected BatchHandlersContract(TransportFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("get every message once, each settled as its own disposition says")
  void settlesEachAsTold() throws Exception {
    String d = declared();
    BatchRecorder r =
        new BatchRecorder(
            m ->
                m.messageId().startsWith("poison")
                    ? Disposition.deadLetter("cannot parse")
                    : m.messageId().startsWith("again") && !m.redelivered()
                        ? Disposition.requeue("later")
                        : Disposition.ack());
    Recorder dead = acking(transport.deadLetterDestination(d));
    List<OutboundMessage> messages = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      messages.add(
          message((i % 10 == 3 ? "poison-" : i % 10 == 7 ? "again-" : "ok-") + UUID.randomUUID()));
    }
    for (CompletableFuture<Void> f : transport.publishAll(d, messages)) {
      await(f);
    }
    subscribe(d, r);

    Set<String> done = new HashSet<>();
    Set<String> expected = new HashSet<>();
    messages.stream()
        .filter(m -> !m.messageId().startsWith("poison"))
        .forEach(m -> expected.add(m.messageId()));
    while (!done.containsAll(expected)) {
      InboundMessage m = r.inner.next();
      if (!m.messageId().startsWith("poison")
          && (!m.messageId().startsWith("again") || m.redelivered())) {
        assertThat(done.add(m.messageId())).as("%s acknowledged once", m.messageId()).isTrue();
      }
    }
    Set<String> deadIds = new HashSet<>();
    for (int i = 0; i < 6; i++) {
      deadIds.add(dead.next().messageId());
    }
    assertThat(deadIds).allMatch(id -> id.startsWith("poison")).hasSize(6);
    assertThat(r.calls).as("sizes of the handleAll calls").allMatch(n -> n >= 1);
    if (batchesDeliveries()) {
      assertThat(r.calls)
          .as("sizes of the handleAll calls: messages waiting are handed over together")
          .anyMatch(n -> n > 1);
    }
  }

  @Test
  @DisplayName("a handleAll that throws gets its messages again")
  void throwingBatchRequeues() throws Exception {
    String d = declared();
    BatchRecorder r = new BatchRecorder(m -> Disposition.ack());
    r.failNextCall.set(true);
    OutboundMessage m = message();
    publish(d, m);
    subscribe(d, r);
    assertThat(r.inner.next().messageId()).isEqualTo(m.messageId());
    InboundMessage again = r.inner.next();
    assertThat(again.messageId()).isEqualTo(m.messageId());
    assertThat(again.redelivered()).isTrue();
  }
}
