package dev.postoffice.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.postoffice.itsupport.Rabbitmqctl;
import dev.postoffice.rabbit.internal.RabbitSubscription;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, defect 1: a consumer the broker drops (its channel closed by a channel-level error, as
 * RabbitMQ's {@code consumer_timeout} does, or the consumer cancelled) is recovered without a
 * restart; and defect 7: closing a subscription honours an interrupt.
 */
@DisplayName("A RabbitMQ consumer")
class ConsumerRecoveryIT {
  private final String prefix = Broker.uniquePrefix();
  private final List<String> destinations = new ArrayList<>();
  private RabbitTransport transport;

  @BeforeAll
  static void needsRabbit() {
    Broker.assumeReachable();
  }

  @AfterEach
  void cleanUp() {
    if (transport != null) {
      transport.close();
    }
    Broker.cleanUp(prefix, destinations);
  }

  private String declared(String d) {
    destinations.add(d);
    transport.declare(d);
    return d;
  }

  private static InboundMessage next(BlockingQueue<InboundMessage> q, Duration within)
      throws InterruptedException {
    InboundMessage m = q.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(m).as("a delivery within %s", within).isNotNull();
    return m;
  }

  @Test
  @DisplayName(
      "whose channel the broker closes with a channel-level error consumes again on a new channel")
  void channelClosedByTheBroker() throws Exception {
    Rabbitmqctl.assumeAvailable();
    transport =
        RabbitTransport.create(
            Broker.settings(prefix).recoveryInterval(Duration.ofMillis(100)).build());
    String d = declared("channel-closed");
    BlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
    transport.subscribe(
        d,
        m -> {
          received.add(m);
          return Disposition.ack();
        });
    RabbitSubscription subscription = transport.runningSubscriptions().iterator().next();
    transport.publish(d, RabbitTransportIT.message("before")).get(10, TimeUnit.SECONDS);
    assertThat(next(received, Duration.ofSeconds(10)).messageId()).isEqualTo("before");

    assertThat(Rabbitmqctl.closeConsumerChannels(prefix + d))
        .as("consumer channels made to fail")
        .isEqualTo(1);
    Broker.await(
        Duration.ofSeconds(10),
        () -> !subscription.channelErrors().isEmpty(),
        "the channel closed");
    transport.publish(d, RabbitTransportIT.message("after")).get(10, TimeUnit.SECONDS);

    assertThat(next(received, Duration.ofSeconds(15)).messageId())
        .as("consumed after the channel closed")
        .isEqualTo("after");
    assertThat(subscription.channelErrors())
        .singleElement()
        .asString()
        .contains("PRECONDITION_FAILED");
  }

  @Test
  @DisplayName(
      "whose channel the broker closes puts back uncounted the deliveries no handler had yet; the one its"
          + " handler had counts")
  void prefetchedDeliveriesDoNotCount() throws Exception {
    Rabbitmqctl.assumeAvailable();
    transport =
        RabbitTransport.create(
            Broker.settings(prefix)
                .recoveryInterval(Duration.ofMillis(100))
                .consumerThreads(1)
                .prefetch(10)
                .maxDeliveries(2)
                .build());
    String d = declared("prefetched");
    CountDownLatch holding = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    java.util.Map<String, java.util.List<Integer>> counts =
        new java.util.concurrent.ConcurrentHashMap<>();
    transport.subscribe(
        d,
        m -> {
          counts
              .computeIfAbsent(
                  m.messageId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
              .add(m.deliveryCount());
          if (m.messageId().equals("p-0") && holding.getCount() > 0) {
            holding.countDown();
            try {
              release.await(
                  10, TimeUnit.SECONDS); // holds p-0 while the others wait in the prefetch
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          return Disposition.ack();
        });
    for (int i = 0; i < 5; i++) {
      transport.publish(d, RabbitTransportIT.message("p-" + i)).get(10, TimeUnit.SECONDS);
    }
    assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
    assertThat(Rabbitmqctl.closeConsumerChannels(prefix + d)).isEqualTo(1);
    Broker.await(
        Duration.ofSeconds(10),
        () -> !transport.runningSubscriptions().iterator().next().channelErrors().isEmpty(),
        "the channel closed");
    release.countDown();
    Broker.await(
        Duration.ofSeconds(15),
        () -> counts.size() == 5 && counts.get("p-0").size() == 2,
        "every message handled, p-0 again");

    assertThat(counts.get("p-0")).as("p-0, which its handler had").containsExactly(1, 2);
    for (int i = 1; i < 5; i++) {
      assertThat(counts.get("p-" + i)).as("p-%s, prefetched only", i).containsExactly(1);
    }
  }

  @Test
  @DisplayName(
      "cancelled by the broker because its queue was deleted subscribes again once the queue is back")
  void consumerCancelledByTheBroker() throws Exception {
    transport =
        RabbitTransport.create(
            Broker.settings(prefix).recoveryInterval(Duration.ofMillis(100)).build());
    String d = declared("cancelled");
    BlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
    transport.subscribe(
        d,
        m -> {
          received.add(m);
          return Disposition.ack();
        });
    try (Connection c = Broker.raw();
        Channel ch = c.createChannel()) {
      ch.queueDelete(prefix + d);
    }
    transport.declare(d);
    transport.publish(d, RabbitTransportIT.message("after-cancel")).get(10, TimeUnit.SECONDS);

    assertThat(next(received, Duration.ofSeconds(15)).messageId()).isEqualTo("after-cancel");
  }

  @Test
  @DisplayName(
      "being closed returns at once when the closing thread is interrupted, though a handler still runs")
  void closeHonoursInterrupts() throws Exception {
    transport = RabbitTransport.create(Broker.settings(prefix).build());
    String d = declared("interrupted-close");
    CountDownLatch handling = new CountDownLatch(1);
    CountDownLatch never = new CountDownLatch(1);
    Subscription s =
        transport.subscribe(
            d,
            m -> {
              handling.countDown();
              try {
                never.await(60, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return Disposition.ack();
            });
    transport.publish(d, RabbitTransportIT.message("slow")).get(10, TimeUnit.SECONDS);
    assertThat(handling.await(10, TimeUnit.SECONDS)).isTrue();

    Thread closer = new Thread(s::close, "closer");
    closer.start();
    closer.interrupt();
    closer.join(5_000);
    assertThat(closer.isAlive()).as("close() still waiting 5 s after an interrupt").isFalse();
    never.countDown();
  }
}
