package dev.postoffice.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.RejectedInputException;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What the transport contract leaves to each transport: limits, idleness and threads of the
 * in-memory one.
 */
class InMemoryTransportTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private InMemoryTransport transport = InMemoryTransport.create();

  @AfterEach
  void close() {
    transport.close();
  }

  private static OutboundMessage message(String id, int bytes) {
    return new OutboundMessage(id, Map.of(), new byte[bytes], "application/octet-stream");
  }

  private static Throwable failure(CompletableFuture<Void> f) {
    assertThat(f).isCompletedExceptionally();
    return f.handle((v, e) -> e).join();
  }

  @Nested
  @DisplayName("limits")
  class Limits {
    @Test
    @DisplayName("a publish to an undeclared destination fails, naming it and hinting at declare")
    void undeclared() {
      assertThat(failure(transport.publish("nowhere", message("m", 1))))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("'nowhere' is not declared")
          .hasMessageContaining("declare(\"nowhere\")");
      assertThatThrownBy(() -> transport.subscribe("nowhere", m -> Disposition.ack()))
          .hasMessageContaining("'nowhere' is not declared");
    }

    @Test
    @DisplayName("a publish to a full destination fails, naming the destination and the limit")
    void full() {
      transport = InMemoryTransport.builder().capacityPerDestination(2).build();
      transport.declare("q");
      assertThat(transport.publish("q", message("a", 1))).isCompleted();
      assertThat(transport.publish("q", message("b", 1))).isCompleted();
      assertThat(failure(transport.publish("q", message("c", 1))))
          .hasMessageContaining("'q' is full")
          .hasMessageContaining("capacityPerDestination limit of 2");
      assertThat(transport.queued("q")).isEqualTo(2);
    }

    @Test
    @DisplayName(
        "a body over maxMessageBytes fails the publish with RejectedInputException, naming the size and the"
            + " limit")
    void oversized() {
      transport = InMemoryTransport.builder().maxMessageBytes(10).build();
      transport.declare("q");
      assertThat(transport.publish("q", message("ok", 10))).isCompleted();
      assertThat(failure(transport.publish("q", message("big", 11))))
          .isInstanceOf(RejectedInputException.class)
          .hasMessage(
              "message big has 11 bytes, more than the maxMessageBytes limit of 10 bytes of this transport");
      assertThat(transport.capabilities().maxMessageBytes()).isEqualTo(10);
    }

    @Test
    @DisplayName("the builder refuses limits below 1 with the property's name and the value")
    void builderChecks() {
      assertThatThrownBy(() -> InMemoryTransport.builder().maxDeliveries(0))
          .hasMessage("maxDeliveries must be >= 1, but was 0");
      assertThatThrownBy(() -> InMemoryTransport.builder().capacityPerDestination(-5))
          .hasMessage("capacityPerDestination must be >= 1, but was -5");
      assertThatThrownBy(() -> InMemoryTransport.builder().maxMessageBytes(0))
          .hasMessage("maxMessageBytes must be >= 1, but was 0");
    }

    @Test
    @DisplayName("the defaults are the documented constants")
    void defaults() {
      assertThat(transport.maxDeliveries()).isEqualTo(InMemoryTransport.DEFAULT_MAX_DELIVERIES);
      assertThat(transport.capabilities().maxMessageBytes())
          .isEqualTo(InMemoryTransport.DEFAULT_MAX_MESSAGE_BYTES);
      assertThat(transport.capabilities().durable()).isFalse();
      assertThat(transport.capabilities().confirmsPublishes()).isTrue();
      assertThat(transport.deadLetterDestination("q")).isEqualTo("q.dlq");
    }
  }

  @Nested
  @DisplayName("delivery")
  class Delivery {
    @Test
    @DisplayName(
        "delivers a message exactly maxDeliveries times before dead-lettering it, with the reason")
    void exactMaxDeliveries() throws Exception {
      transport = InMemoryTransport.builder().maxDeliveries(4).build();
      transport.declare("q");
      BlockingQueue<InboundMessage> seen = new LinkedBlockingQueue<>();
      transport.subscribe(
          "q",
          m -> {
            seen.add(m);
            return Disposition.requeue("nope");
          });
      transport.publish("q", message("m", 1));
      assertThat(transport.awaitIdle(PATIENCE)).isTrue();
      assertThat(seen).extracting(InboundMessage::deliveryCount).containsExactly(1, 2, 3, 4);
      assertThat(transport.queued("q.dlq")).isEqualTo(1);
      BlockingQueue<InboundMessage> dead = new LinkedBlockingQueue<>();
      transport.subscribe(
          "q.dlq",
          m -> {
            dead.add(m);
            return Disposition.ack();
          });
      InboundMessage dl = dead.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(dl).isNotNull();
      assertThat(dl.headers().get(Transport.HEADER_DEAD_LETTER_REASON))
          .isEqualTo("delivered 4 times, the maxDeliveries limit; last requeued because: nope");
      assertThat(dl.deliveryCount()).isEqualTo(1);
    }

    @Test
    @DisplayName("runs handlers on daemon threads named after the destination")
    void threadNames() throws Exception {
      transport.declare("orders");
      BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
      transport.subscribe(
          "orders",
          m -> {
            threads.add(Thread.currentThread());
            return Disposition.ack();
          });
      transport.publish("orders", message("m", 1));
      Thread t = threads.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(t).isNotNull();
      assertThat(t.getName()).isEqualTo("postoffice-inmemory-orders");
      assertThat(t.isDaemon()).isTrue();
    }

    @Test
    @DisplayName("a handler returning null gets the message again")
    void nullDisposition() throws Exception {
      transport.declare("q");
      BlockingQueue<InboundMessage> seen = new LinkedBlockingQueue<>();
      transport.subscribe(
          "q",
          m -> {
            seen.add(m);
            return m.redelivered() ? Disposition.ack() : null;
          });
      transport.publish("q", message("m", 1));
      assertThat(transport.awaitIdle(PATIENCE)).isTrue();
      assertThat(seen).extracting(InboundMessage::redelivered).containsExactly(false, true);
    }
  }

  @Nested
  @DisplayName("idleness")
  class Idleness {
    @Test
    @DisplayName("is idle with nothing queued, and with messages only where nobody subscribes")
    void idleWithoutSubscribers() {
      assertThat(transport.isIdle()).isTrue();
      transport.declare("q");
      transport.publish("q", message("m", 1));
      assertThat(transport.queued("q")).isEqualTo(1);
      assertThat(transport.queued("undeclared")).isZero();
      assertThat(transport.isIdle()).isTrue();
    }

    @Test
    @DisplayName("is busy while a handler runs, and idle once it settled")
    void busyWhileHandling() throws Exception {
      transport.declare("q");
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      transport.subscribe(
          "q",
          m -> {
            entered.countDown();
            try {
              release.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return Disposition.ack();
          });
      transport.publish("q", message("m", 1));
      assertThat(entered.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(transport.isIdle()).isFalse();
      assertThat(transport.awaitIdle(Duration.ofMillis(1))).isFalse();
      release.countDown();
      assertThat(transport.awaitIdle(PATIENCE)).isTrue();
      assertThat(transport.queued("q")).isZero();
    }

    @Test
    @DisplayName("counts a message a handler publishes to another destination before it returns")
    void chained() throws Exception {
      transport.declare("a");
      transport.declare("b");
      BlockingQueue<String> done = new LinkedBlockingQueue<>();
      transport.subscribe(
          "a",
          m -> {
            transport.publish("b", message("from-a", 1));
            return Disposition.ack();
          });
      transport.subscribe(
          "b",
          m -> {
            done.add(m.messageId());
            return Disposition.ack();
          });
      for (int i = 0; i < 50; i++) {
        transport.publish("a", message("m" + i, 1));
      }
      assertThat(transport.awaitIdle(PATIENCE)).isTrue();
      assertThat(done).hasSize(50);
    }
  }

  @Nested
  @DisplayName("closing")
  class Closing {
    @Test
    @DisplayName("stops every consumer thread and refuses new publishes and subscriptions")
    void close() throws Exception {
      transport.declare("q");
      BlockingQueue<Thread> threads = new LinkedBlockingQueue<>();
      Subscription s =
          transport.subscribe(
              "q",
              m -> {
                threads.add(Thread.currentThread());
                return Disposition.ack();
              });
      transport.publish("q", message("m", 1));
      Thread t = threads.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      transport.close();
      assertThat(t.isAlive()).isFalse();
      s.close();
      transport.close();
      assertThat(failure(transport.publish("q", message("late", 1))))
          .hasMessageContaining("closed");
      assertThatThrownBy(() -> transport.subscribe("q", m -> Disposition.ack()))
          .hasMessageContaining("closed");
      assertThatThrownBy(() -> transport.declare("other")).hasMessageContaining("closed");
    }

    @Test
    @DisplayName("a subscription closed from its own handler does not wait for itself")
    void closeFromHandler() throws Exception {
      transport.declare("q");
      CompletableFuture<Subscription> self = new CompletableFuture<>();
      CountDownLatch closed = new CountDownLatch(1);
      self.complete(
          transport.subscribe(
              "q",
              m -> {
                self.join().close();
                closed.countDown();
                return Disposition.ack();
              }));
      transport.publishAll("q", List.of(message("a", 1), message("b", 1)));
      assertThat(closed.await(PATIENCE.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      assertThat(transport.awaitIdle(PATIENCE)).isTrue();
      assertThat(transport.queued("q")).isEqualTo(1);
    }
  }
}
