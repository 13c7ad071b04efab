package dev.postoffice.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.GetResponse;
import dev.postoffice.RejectedInputException;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("RabbitTransport on the RabbitMQ at 127.0.0.1:5672")
class RabbitTransportIT {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private String prefix;
  private final List<String> destinations = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final AtomicInteger counter = new AtomicInteger();

  @BeforeAll
  static void needsRabbit() {
    Broker.assumeReachable();
  }

  @BeforeEach
  void uniqueNames() {
    prefix = Broker.uniquePrefix();
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
    Broker.cleanUp(prefix, destinations);
  }

  private RabbitTransport transport(UnaryOperator<RabbitTransportSettings.Builder> custom) {
    RabbitTransport t = RabbitTransport.create(custom.apply(Broker.settings(prefix)).build());
    closeables.add(t);
    return t;
  }

  private RabbitTransport transport() {
    return transport(b -> b);
  }

  private String declared(Transport t) {
    String d = "dest-" + counter.incrementAndGet();
    destinations.add(d);
    t.declare(d);
    return d;
  }

  private Subscription subscribe(
      Transport t, String d, BlockingQueue<InboundMessage> into, Disposition answer) {
    Subscription s =
        t.subscribe(
            d,
            m -> {
              into.add(m);
              return answer;
            });
    closeables.add(s);
    return s;
  }

  static OutboundMessage message(String id) {
    return new OutboundMessage(
        id,
        Map.of(Transport.HEADER_TRACE_ID, "trace-" + id, Transport.HEADER_ROUTE, "acme-orders"),
        ("{\"id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8),
        "application/json");
  }

  private static InboundMessage next(BlockingQueue<InboundMessage> queue)
      throws InterruptedException {
    InboundMessage m = queue.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(m).as("a delivery within " + WAIT).isNotNull();
    return m;
  }

  private int messageCount(String queue) throws Exception {
    try (Connection c = Broker.raw();
        Channel ch = c.createChannel()) {
      return ch.queueDeclarePassive(queue).getMessageCount();
    }
  }

  @Nested
  @DisplayName("publishing")
  class Publishing {
    @Test
    @DisplayName(
        "stores a persistent message with its id as message-id, its headers and content type")
    void persistentWithProperties() throws Exception {
      RabbitTransport t = transport();
      String d = declared(t);
      t.publish(d, message("m-1")).get(10, TimeUnit.SECONDS);
      try (Connection c = Broker.raw();
          Channel ch = c.createChannel()) {
        GetResponse r = ch.basicGet(prefix + d, true);
        assertThat(r).isNotNull();
        AMQP.BasicProperties p = r.getProps();
        assertThat(p.getDeliveryMode()).isEqualTo(2);
        assertThat(p.getMessageId()).isEqualTo("m-1");
        assertThat(p.getContentType()).isEqualTo("application/json");
        assertThat(p.getHeaders().get(Transport.HEADER_TRACE_ID)).hasToString("trace-m-1");
        assertThat(new String(r.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"m-1\"}");
      }
    }

    @Test
    @DisplayName("fails the future of an unroutable message, naming exchange and routing key")
    void unroutable() {
      RabbitTransport t = transport();
      declared(t); // the exchange exists, but nothing is bound for "nowhere"
      CompletableFuture<Void> f = t.publish("nowhere", message("m-2"));
      assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .cause()
          .isInstanceOf(UnroutableMessageException.class)
          .hasMessageContaining("exchange '" + prefix + "postoffice'")
          .hasMessageContaining("routing key '" + prefix + "nowhere'")
          .hasMessageContaining("m-2");
    }

    @Test
    @DisplayName(
        "fails the future of a body larger than maxMessageBytes with RejectedInputException")
    void tooLarge() {
      RabbitTransport t = transport(b -> b.maxMessageBytes(4));
      String d = declared(t);
      assertThat(t.publish(d, message("m-3")))
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(RejectedInputException.class)
          .withMessageContaining("more than maxMessageBytes (4)");
    }

    @Test
    @DisplayName("confirms many concurrent publishes with never more than the window outstanding")
    void windowUnderLoad() throws Exception {
      int window = 16;
      RabbitTransport t = transport(b -> b.maxOutstandingPublishes(window));
      String d = declared(t);
      AtomicInteger maxSeen = new AtomicInteger();
      AtomicBoolean done = new AtomicBoolean();
      Thread sampler =
          new Thread(
              () -> {
                while (!done.get()) {
                  maxSeen.accumulateAndGet(t.outstandingPublishes(d), Math::max);
                }
              });
      sampler.start();
      List<CompletableFuture<Void>> futures = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<Thread> publishers = new ArrayList<>();
      for (int p = 0; p < 4; p++) {
        int base = p * 500;
        Thread th =
            new Thread(
                () -> {
                  for (int i = 0; i < 500; i++) {
                    futures.add(t.publish(d, message("w-" + (base + i))));
                    maxSeen.accumulateAndGet(t.outstandingPublishes(d), Math::max);
                  }
                });
        publishers.add(th);
        th.start();
      }
      for (Thread th : publishers) {
        th.join();
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
      done.set(true);
      sampler.join();
      assertThat(futures).hasSize(2000);
      assertThat(maxSeen.get()).isBetween(1, window);
      assertThat(messageCount(prefix + d)).isEqualTo(2000);
    }

    @Test
    @DisplayName(
        "fails the publishes still unconfirmed when the transport closes, and any publish after")
    void afterClose() {
      RabbitTransport t = transport();
      String d = declared(t);
      t.close();
      assertThat(t.publish(d, message("m-4")))
          .failsWithin(WAIT)
          .withThrowableOfType(ExecutionException.class)
          .withCauseInstanceOf(PublishNotConfirmedException.class)
          .withMessageContaining("closed");
      assertThatThrownBy(() -> t.declare("x")).isInstanceOf(IllegalStateException.class);
    }
  }

  @Nested
  @DisplayName("consuming")
  class Consuming {
    @Test
    @DisplayName("hands over id, headers, body and content type, and an ack removes the message")
    void ack() throws Exception {
      RabbitTransport t = transport();
      String d = declared(t);
      BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
      Subscription s = subscribe(t, d, got, Disposition.ack());
      t.publish(d, message("c-1")).join();
      InboundMessage m = next(got);
      assertThat(m.messageId()).isEqualTo("c-1");
      assertThat(m.headers())
          .containsEntry(Transport.HEADER_TRACE_ID, "trace-c-1")
          .containsEntry(Transport.HEADER_ROUTE, "acme-orders");
      assertThat(m.contentType()).isEqualTo("application/json");
      assertThat(new String(m.body(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"c-1\"}");
      assertThat(m.deliveryCount()).isEqualTo(1);
      assertThat(m.redelivered()).isFalse();
      s.close();
      assertThat(messageCount(prefix + d)).isZero();
    }

    @Test
    @DisplayName(
        "redelivers a requeued message (and one whose handler threw) with a higher delivery count")
    void requeue() throws Exception {
      RabbitTransport t = transport(b -> b.consumerThreads(1));
      String d = declared(t);
      BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
      AtomicInteger calls = new AtomicInteger();
      closeables.add(
          t.subscribe(
              d,
              m -> {
                got.add(m);
                return switch (calls.incrementAndGet()) {
                  case 1 -> Disposition.requeue("not now");
                  case 2 -> throw new IllegalStateException("boom");
                  default -> Disposition.ack();
                };
              }));
      t.publish(d, message("c-2")).join();
      InboundMessage first = next(got);
      InboundMessage second = next(got);
      InboundMessage third = next(got);
      assertThat(List.of(first.messageId(), second.messageId(), third.messageId()))
          .containsOnly("c-2");
      assertThat(List.of(first.deliveryCount(), second.deliveryCount(), third.deliveryCount()))
          .containsExactly(1, 2, 3);
      assertThat(second.redelivered()).isTrue();
      assertThat(third.redelivered()).isTrue();
    }

    @Test
    @DisplayName("moves a dead letter to the dead-letter queue with its id, headers and reason")
    void deadLetter() throws Exception {
      RabbitTransport t = transport();
      String d = declared(t);
      BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
      closeables.add(t.subscribe(d, m -> Disposition.deadLetter("cannot parse: line 1")));
      subscribe(t, t.deadLetterDestination(d), got, Disposition.ack());
      t.publish(d, message("c-3")).join();
      InboundMessage dead = next(got);
      assertThat(dead.messageId()).isEqualTo("c-3");
      assertThat(dead.headers())
          .containsEntry(Transport.HEADER_DEAD_LETTER_REASON, "cannot parse: line 1")
          .containsEntry(Transport.HEADER_TRACE_ID, "trace-c-3");
      assertThat(dead.body()).isEqualTo(message("c-3").body());
      assertThat(t.deadLetterDestination(d)).isEqualTo(d + ".dlq");
    }

    @Test
    @DisplayName("makes up an id for a message published without one")
    void noMessageId() throws Exception {
      RabbitTransport t = transport();
      String d = declared(t);
      BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
      subscribe(t, d, got, Disposition.ack());
      try (Connection c = Broker.raw();
          Channel ch = c.createChannel()) {
        ch.basicPublish(
            prefix + "postoffice", prefix + d, null, "raw".getBytes(StandardCharsets.UTF_8));
      }
      InboundMessage m = next(got);
      assertThat(m.messageId()).startsWith("amqp-generated-");
      assertThat(m.contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    @DisplayName("close() returns only once the running handler call has returned")
    void closeWaitsForHandler() throws Exception {
      RabbitTransport t = transport();
      String d = declared(t);
      CountDownLatch entered = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      AtomicBoolean returned = new AtomicBoolean();
      Subscription s =
          t.subscribe(
              d,
              m -> {
                entered.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                returned.set(true);
                return Disposition.ack();
              });
      t.publish(d, message("c-4")).join();
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
      Thread closer = new Thread(s::close);
      closer.start();
      closer.join(300);
      assertThat(closer.isAlive()).as("close() waits for the handler").isTrue();
      release.countDown();
      closer.join(10_000);
      assertThat(closer.isAlive()).isFalse();
      assertThat(returned).isTrue();
      assertThat(messageCount(prefix + d)).as("acked before the channel closed").isZero();
    }
  }

  @Nested
  @DisplayName("topology")
  class Topology {
    @Test
    @DisplayName("declare is idempotent")
    void idempotent() {
      RabbitTransport t = transport();
      String d = declared(t);
      t.declare(d);
      t.declare(d);
      assertThat(t.publish(d, message("t-1"))).succeedsWithin(WAIT);
    }

    @Test
    @DisplayName(
        "with createTopology off, a missing queue fails with its name; an existing one passes")
    void verifyOnly() {
      RabbitTransport verifying = transport(b -> b.createTopology(false));
      String d = "dest-" + counter.incrementAndGet();
      destinations.add(d);
      assertThatThrownBy(() -> verifying.declare(d))
          .isInstanceOf(RabbitTransportException.class)
          .hasMessageContaining("does not exist")
          .hasMessageContaining("createTopology is false");
      transport().declare(d);
      verifying.declare(d);
      assertThat(verifying.publish(d, message("t-2"))).succeedsWithin(WAIT);
    }

    @Test
    @DisplayName("quorum queues report the broker's delivery count")
    void quorum() throws Exception {
      RabbitTransport t = transport(b -> b.quorumQueues(true).consumerThreads(1));
      String d = declared(t);
      BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
      AtomicInteger calls = new AtomicInteger();
      closeables.add(
          t.subscribe(
              d,
              m -> {
                got.add(m);
                return calls.incrementAndGet() < 3
                    ? Disposition.requeue("again")
                    : Disposition.ack();
              }));
      t.publish(d, message("q-1")).join();
      assertThat(
              List.of(
                  next(got).deliveryCount(), next(got).deliveryCount(), next(got).deliveryCount()))
          .containsExactly(1, 2, 3);
      try (Connection c = Broker.raw();
          Channel ch = c.createChannel()) {
        assertThat(ch.queueDeclarePassive(prefix + d).getQueue()).isEqualTo(prefix + d);
      }
    }
  }

  @Nested
  @DisplayName("credentials")
  class Credentials {
    @Test
    @DisplayName("a refused login fails create() without showing the password")
    void wrongPassword() {
      assertThatThrownBy(() -> transport(b -> b.username("guest").password("Wr0ng-s3cret")))
          .isInstanceOf(RabbitTransportException.class)
          .hasMessageContaining("amqp://guest@127.0.0.1:5672")
          .satisfies(e -> assertThat(e.toString() + e.getCause()).doesNotContain("Wr0ng-s3cret"));
    }
  }
}
