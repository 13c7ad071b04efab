package dev.postoffice.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.testkit.FaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Holds back the broker's confirms with a TCP proxy to watch the window and the confirm timeout.
 */
@DisplayName("The confirm window, with confirms held back")
class ConfirmWindowIT {
  private static final int WINDOW = 5;

  private final String destination = "window";

  @RegisterExtension final BrokerScope broker = BrokerScope.deleting(destination);

  private final String prefix = broker.prefix();

  @Test
  @DisplayName(
      "holds at most N publishes, makes the next wait, and fails them all when no confirm comes")
  void boundedAndTimesOut() throws Exception {
    try (FaultProxy proxy = FaultProxy.to(Broker.HOST, Broker.PORT);
        RabbitTransport t =
            RabbitTransport.create(
                Broker.settings(prefix)
                    .port(proxy.port())
                    .maxOutstandingPublishes(WINDOW)
                    .confirmTimeout(Duration.ofSeconds(1))
                    .build())) {
      t.declare(destination);
      t.publish(destination, RabbitTransportIT.message("warm-up")).join(); // opens the channel
      proxy.holdReplies(true);
      List<CompletableFuture<Void>> held = new ArrayList<>();
      for (int i = 0; i < WINDOW; i++) {
        held.add(t.publish(destination, RabbitTransportIT.message("held-" + i)));
      }
      assertThat(t.outstandingPublishes(destination)).isEqualTo(WINDOW);
      long start = System.nanoTime();
      CompletableFuture<Void> waiting =
          t.publish(destination, RabbitTransportIT.message("waiting"));
      long waitedMillis = (System.nanoTime() - start) / 1_000_000;
      assertThat(waitedMillis)
          .as("publish waited for room in the window")
          .isGreaterThanOrEqualTo(900);
      for (CompletableFuture<Void> f : held) {
        assertThat(f)
            .failsWithin(Duration.ofSeconds(5))
            .withThrowableOfType(ExecutionException.class)
            .withCauseInstanceOf(PublishNotConfirmedException.class)
            .withMessageContaining("no confirm within PT1S");
      }
      assertThat(t.outstandingPublishes(destination)).isLessThanOrEqualTo(WINDOW);
      proxy.holdReplies(false);
      // The waiting publish either got room once the held ones timed out, or timed out itself.
      try {
        waiting.get();
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(PublishNotConfirmedException.class);
      }
      assertThat(t.publish(destination, RabbitTransportIT.message("after")))
          .succeedsWithin(Duration.ofSeconds(5));
    }
  }
}
