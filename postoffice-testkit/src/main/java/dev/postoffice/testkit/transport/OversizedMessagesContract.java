package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.postoffice.RejectedInputException;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.transport.TransportContract} group "oversized
 * messages". A body over the transport's size limit fails its publish, never the whole batch.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class OversizedMessagesContract extends TransportContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected OversizedMessagesContract(TransportFixture fixture) {
    super(fixture);
  }

  private int limit() {
    int max = transport.capabilities().maxMessageBytes();
    Assumptions.assumeTrue(
        max != Integer.MAX_VALUE, "the transport declares no message size limit");
    return max;
  }

  private OutboundMessage oversized(int max) {
    return new OutboundMessage(
        "big-" + UUID.randomUUID(), Map.of(), new byte[max + 1], "application/octet-stream");
  }

  /** The exception a publish's future failed with (a publish must fail its future, not throw). */
  private Throwable failureOf(CompletableFuture<Void> future) {
    Throwable failure = catchThrowable(() -> await(future));
    assertThat(failure)
        .as("the publish of an oversized message fails")
        .isInstanceOf(ExecutionException.class);
    return failure.getCause();
  }

  @Test
  @DisplayName(
      "a body larger than maxMessageBytes fails the publish with RejectedInputException naming the size"
          + " and the limit, so the entry is rejected rather than retried")
  void rejected() {
    int max = limit();
    String d = declared();
    Throwable cause = failureOf(transport.publish(d, oversized(max)));
    assertThat(cause)
        .isInstanceOf(RejectedInputException.class)
        .hasMessageContaining(Integer.toString(max + 1))
        .hasMessageContaining(Integer.toString(max));
  }

  @Test
  @DisplayName("a body of exactly maxMessageBytes is published")
  void atTheLimit() throws Exception {
    int max = limit();
    Assumptions.assumeTrue(
        max <= 1024 * 1024, "the limit is too large to publish in a test: " + max);
    String d = declared();
    OutboundMessage m =
        new OutboundMessage(
            "max-" + UUID.randomUUID(), Map.of(), new byte[max], "application/octet-stream");
    publish(d, m);
    InboundMessage got = acking(d).next();
    assertThat(got.messageId()).isEqualTo(m.messageId());
    assertThat(got.body()).hasSize(max);
  }

  @Test
  @DisplayName(
      "publishAll fails only the oversized message's future, with RejectedInputException; the others"
          + " are delivered")
  void rejectedInBatch() throws Exception {
    int max = limit();
    String d = declared();
    OutboundMessage before = message();
    OutboundMessage after = message();
    List<CompletableFuture<Void>> futures =
        transport.publishAll(d, List.of(before, oversized(max), after));
    assertThat(futures).hasSize(3);
    await(futures.get(0));
    await(futures.get(2));
    assertThat(failureOf(futures.get(1))).isInstanceOf(RejectedInputException.class);
    Recorder r = acking(d);
    Set<String> ids = new HashSet<>(List.of(r.next().messageId(), r.next().messageId()));
    assertThat(ids).containsExactlyInAnyOrder(before.messageId(), after.messageId());
  }
}
