package dev.postoffice.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.rabbit.internal.RabbitSubscription;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.testkit.FaultProxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Publishes and consumes a stream through a TCP proxy that cuts every link mid-stream. The test
 * republishes what was not confirmed, with the same id, as the engine does.
 */
@DisplayName("A broker connection cut mid-stream")
class ConnectionDropIT {
  private static final int MESSAGES = 2000;

  private final String destination = "drop";

  @RegisterExtension final BrokerScope broker = BrokerScope.deleting(destination);

  private final String prefix = broker.prefix();

  @Test
  @DisplayName("loses no message, counts duplicates, and never acks on a dead channel")
  void noLossAcrossRecovery() throws Exception {
    Map<String, AtomicInteger> seen = new ConcurrentHashMap<>();
    AtomicInteger republished = new AtomicInteger();
    try (FaultProxy proxy = FaultProxy.to(Broker.HOST, Broker.PORT);
        RabbitTransport t =
            RabbitTransport.create(
                Broker.settings(prefix)
                    .port(proxy.port())
                    .recoveryInterval(Duration.ofMillis(200))
                    .confirmTimeout(Duration.ofSeconds(5))
                    .build())) {
      t.declare(destination);
      t.subscribe(
          destination,
          m -> {
            java.util.concurrent.locks.LockSupport.parkNanos(
                500_000); // a little work: deliveries pile up
            seen.computeIfAbsent(m.messageId(), k -> new AtomicInteger()).incrementAndGet();
            return Disposition.ack();
          });
      RabbitSubscription subscription = t.runningSubscriptions().iterator().next();
      // First half in one burst, so that the cut finds deliveries in flight and confirms
      // outstanding.
      List<OutboundMessage> firstHalf = new java.util.ArrayList<>();
      for (int i = 0; i < MESSAGES / 2; i++) {
        firstHalf.add(RabbitTransportIT.message("d-" + i));
      }
      List<CompletableFuture<Void>> futures = t.publishAll(destination, firstHalf);
      Broker.await(Duration.ofSeconds(20), () -> seen.size() >= MESSAGES / 8, "an eighth consumed");
      proxy.cut();
      for (int i = 0; i < firstHalf.size(); i++) {
        try {
          futures.get(i).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
          republished.incrementAndGet();
          publishUntilConfirmed(t, firstHalf.get(i), republished);
        }
      }
      for (int i = MESSAGES / 2; i < MESSAGES; i++) {
        publishUntilConfirmed(t, RabbitTransportIT.message("d-" + i), republished);
      }
      Broker.await(Duration.ofSeconds(60), () -> seen.size() == MESSAGES, "every message consumed");
      int duplicates = seen.values().stream().mapToInt(n -> n.get() - 1).sum();
      System.out.printf(
          "ConnectionDropIT: %d messages, %d publishes repeated after failed confirms, %d duplicate"
              + " deliveries, %d settlements skipped on dead channels, %d proxy connections%n",
          MESSAGES,
          republished.get(),
          duplicates,
          subscription.staleSettlementsSkipped(),
          proxy.accepted());
      assertThat(seen).hasSize(MESSAGES);
      assertThat(subscription.channelErrors())
          .as("no ack on a dead channel caused a channel error")
          .isEmpty();
      assertThat(proxy.accepted()).as("the transport reconnected").isGreaterThan(2);
    }
  }

  /**
   * Publishes, and publishes again with the same id while the future fails, as the engine would.
   */
  private static void publishUntilConfirmed(
      RabbitTransport t, OutboundMessage m, AtomicInteger republished) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      CompletableFuture<Void> f = t.publish("drop", m);
      try {
        f.get(10, TimeUnit.SECONDS);
        return;
      } catch (Exception e) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError("could not publish " + m.messageId(), e);
        }
        republished.incrementAndGet();
        synchronized (t) {
          t.wait(50); // the connection is recovering
        }
      }
    }
  }
}
