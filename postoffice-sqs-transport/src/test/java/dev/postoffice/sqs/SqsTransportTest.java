package dev.postoffice.sqs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.mockito.AdditionalAnswers;
import org.mockito.ArgumentMatchers;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;

/** Behaviour of the SQS transport beyond the contract, against an embedded ElasticMQ. */
@DisplayName("SqsTransport on ElasticMQ")
class SqsTransportTest {
  private static final long PATIENCE_MS = 15_000;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private <T extends AutoCloseable> T closing(T c) {
    closeables.add(c);
    return c;
  }

  private SqsTransport transport(SqsTransportSettings.Builder settings) {
    return closing(SqsTransport.create(settings.build()));
  }

  private static OutboundMessage message(String id) {
    return new OutboundMessage(
        id,
        Map.of(Transport.HEADER_TRACE_ID, "t-" + id),
        ("body " + id).getBytes(StandardCharsets.UTF_8),
        "text/plain");
  }

  private static InboundMessage next(BlockingQueue<InboundMessage> q) throws InterruptedException {
    InboundMessage m = q.poll(PATIENCE_MS, TimeUnit.MILLISECONDS);
    assertThat(m).as("a delivery within %s ms", PATIENCE_MS).isNotNull();
    return m;
  }

  private static void await(CountDownLatch latch, long millis) {
    try {
      latch.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Nested
  @DisplayName("visibility")
  class Visibility {
    @Test
    @DisplayName(
        "a message whose consumer is stuck past the visibility timeout comes back with the same id,"
            + " and nothing is lost")
    void stuckConsumer() throws Exception {
      SqsTransport t =
          transport(
              ElasticMq.get()
                  .settings()
                  .visibilityTimeout(Duration.ofSeconds(1))
                  .maxVisibilityExtension(Duration.ZERO)
                  .consumerThreads(2));
      t.declare("stuck");
      BlockingQueue<InboundMessage> seen = new LinkedBlockingQueue<>();
      CountDownLatch unstick = new CountDownLatch(1);
      closing(
          t.subscribe(
              "stuck",
              m -> {
                seen.add(m);
                if (m.deliveryCount() == 1) {
                  await(unstick, PATIENCE_MS); // stuck until the redelivery arrived
                }
                return Disposition.ack();
              }));
      t.publish("stuck", message("m-stuck")).get(5, TimeUnit.SECONDS);

      InboundMessage first = next(seen);
      InboundMessage again = next(seen);
      unstick.countDown();
      assertThat(again.messageId()).isEqualTo(first.messageId()).isEqualTo("m-stuck");
      assertThat(again.redelivered()).isTrue();
      assertThat(again.deliveryCount()).isEqualTo(2);
      assertThat(again.body()).isEqualTo(first.body());

      t.publish("stuck", message("marker")).get(5, TimeUnit.SECONDS);
      List<String> after = new ArrayList<>();
      for (InboundMessage m = next(seen); ; m = next(seen)) {
        after.add(m.messageId());
        if (m.messageId().equals("marker")) {
          break;
        }
      }
      assertThat(after).as("both deliveries were acknowledged: no third").containsExactly("marker");
    }

    @Test
    @DisplayName(
        "a message is kept invisible while its handler runs longer than the visibility timeout")
    void extended() throws Exception {
      SqsTransport t =
          transport(
              ElasticMq.get()
                  .settings()
                  .visibilityTimeout(Duration.ofSeconds(1))
                  .consumerThreads(2));
      t.declare("slow");
      BlockingQueue<InboundMessage> seen = new LinkedBlockingQueue<>();
      CountDownLatch never = new CountDownLatch(1);
      closing(
          t.subscribe(
              "slow",
              m -> {
                seen.add(m);
                if (m.messageId().equals("slow")) {
                  await(never, 3500); // three visibility timeouts
                }
                return Disposition.ack();
              }));
      t.publish("slow", message("slow")).get(5, TimeUnit.SECONDS);
      assertThat(next(seen).messageId()).isEqualTo("slow");
      t.publish("slow", message("marker")).get(5, TimeUnit.SECONDS);
      assertThat(next(seen).messageId()).isEqualTo("marker");
      // The slow handler finishes about 3.5 s after it started; had the message become visible, the
      // free
      // thread would have taken it again by then.
      assertThat(seen.poll(4500, TimeUnit.MILLISECONDS)).isNull();
    }
  }

  @Nested
  @DisplayName("dead letters")
  class DeadLetters {
    @Test
    @DisplayName(
        "a message whose consumers vanish is moved to the dead-letter queue by the redrive policy")
    void redrive() throws Exception {
      SqsTransport t = transport(ElasticMq.get().settings().maxDeliveries(2));
      t.declare("vanish");
      t.publish("vanish", message("m-vanish")).get(5, TimeUnit.SECONDS);
      try (SqsClient raw = ElasticMq.get().client()) {
        String url =
            raw.getQueueUrl(r -> r.queueName(t.settings().namePrefix() + "vanish")).queueUrl();
        for (int i = 0; i < 3; i++) {
          // A consumer takes the message and dies: it becomes visible again at once (visibility 1
          // s).
          raw.receiveMessage(r -> r.queueUrl(url).visibilityTimeout(1).waitTimeSeconds(2));
        }
        List<Message> left = raw.receiveMessage(r -> r.queueUrl(url).waitTimeSeconds(1)).messages();
        assertThat(left).isEmpty();
      }
      BlockingQueue<InboundMessage> dead = new LinkedBlockingQueue<>();
      closing(
          t.subscribe(
              t.deadLetterDestination("vanish"),
              m -> {
                dead.add(m);
                return Disposition.ack();
              }));
      InboundMessage m = next(dead);
      assertThat(m.messageId()).isEqualTo("m-vanish");
      assertThat(m.headers())
          .containsEntry(Transport.HEADER_TRACE_ID, "t-m-vanish")
          .doesNotContainKey(Transport.HEADER_DEAD_LETTER_REASON);
    }
  }

  @Nested
  @DisplayName("prefetch")
  class Prefetch {
    /** Publishes ten messages, then has one handler thread take them in batches. */
    private List<Integer> batchSizes(SqsTransportSettings.Builder settings) throws Exception {
      SqsTransport t = transport(settings.consumerThreads(1));
      t.declare("batches");
      for (int i = 0; i < 10; i++) {
        t.publish("batches", message("b-" + i)).get(5, TimeUnit.SECONDS);
      }
      List<Integer> sizes = new java.util.concurrent.CopyOnWriteArrayList<>();
      CountDownLatch all = new CountDownLatch(10);
      BatchMessageHandler handler =
          messages -> {
            sizes.add(messages.size());
            messages.forEach(m -> all.countDown());
            return java.util.Collections.nCopies(messages.size(), Disposition.ack());
          };
      closing(t.subscribe("batches", handler));
      assertThat(all.await(PATIENCE_MS, TimeUnit.MILLISECONDS)).as("all ten handled").isTrue();
      return sizes;
    }

    @Test
    @DisplayName(
        "by default a batch handler's call takes a full receive, not one message per handler"
            + " thread")
    void fullReceive() throws Exception {
      assertThat(ElasticMq.get().settings().consumerThreads(1).build().prefetch()).isEqualTo(10);
      assertThat(batchSizes(ElasticMq.get().settings())).as("batch sizes").anyMatch(n -> n > 1);
    }

    @Test
    @DisplayName("prefetch bounds the messages a subscription holds, and so each receive")
    void bounded() throws Exception {
      assertThat(batchSizes(ElasticMq.get().settings().prefetch(3)))
          .as("batch sizes")
          .allMatch(n -> n <= 3);
      assertThatThrownBy(() -> SqsTransportSettings.builder().prefetch(0))
          .hasMessage("prefetch must be between 1 and 10000, but was 0");
    }
  }

  @Nested
  @DisplayName("limits")
  class Limits {
    @Test
    @DisplayName("a binary body of exactly maxMessageBytes with eight headers fits SQS's 256 KiB")
    void largestBody() throws Exception {
      SqsTransport t = transport(ElasticMq.get().settings());
      t.declare("big");
      byte[] body = new byte[t.capabilities().maxMessageBytes()];
      new Random(42).nextBytes(body);
      Map<String, String> headers = new HashMap<>();
      for (int i = 0; i < 8; i++) {
        headers.put("header-" + i, "v".repeat(100));
      }
      t.publish("big", new OutboundMessage("big", headers, body, "application/octet-stream"))
          .get(10, TimeUnit.SECONDS);
      BlockingQueue<InboundMessage> seen = new LinkedBlockingQueue<>();
      closing(
          t.subscribe(
              "big",
              m -> {
                seen.add(m);
                return Disposition.ack();
              }));
      InboundMessage m = next(seen);
      assertThat(m.body()).isEqualTo(body);
      assertThat(m.headers()).containsAllEntriesOf(headers);
    }
  }

  @Nested
  @DisplayName("queues")
  class Queues {
    @Test
    @DisplayName(
        "declare creates the queue and its dead-letter queue once, with the redrive policy, and URLs"
            + " are cached")
    void declareAndCache() throws Exception {
      SqsClient real = closing(ElasticMq.get().client());
      SqsClient spy =
          mock(SqsClient.class, withSettings().defaultAnswer(AdditionalAnswers.delegatesTo(real)));
      SqsTransportSettings settings = ElasticMq.get().settings().maxDeliveries(4).build();
      SqsTransport t = closing(SqsTransport.create(spy, settings));
      t.declare("orders");
      t.declare("orders");
      for (int i = 0; i < 3; i++) {
        t.publish("orders", message("m-" + i)).get(5, TimeUnit.SECONDS);
      }
      verify(spy, times(2))
          .createQueue(ArgumentMatchers.<Consumer<CreateQueueRequest.Builder>>any());
      verify(spy, never())
          .getQueueUrl(ArgumentMatchers.<Consumer<GetQueueUrlRequest.Builder>>any());
      verify(spy, times(3))
          .sendMessageBatch(ArgumentMatchers.<Consumer<SendMessageBatchRequest.Builder>>any());

      String url = real.getQueueUrl(r -> r.queueName(settings.namePrefix() + "orders")).queueUrl();
      String redrive =
          real.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
              .attributes()
              .get(QueueAttributeName.REDRIVE_POLICY);
      assertThat(redrive).contains("maxReceiveCount").contains("4").contains("orders-dlq");
    }

    @Test
    @DisplayName("FIFO queues get .fifo names, without content-based deduplication")
    void fifoNames() {
      SqsTransportSettings settings = ElasticMq.get().settings().fifo(true).build();
      SqsTransport t = transport(SqsTransportSettings.from(settings));
      t.declare("orders");
      assertThat(t.deadLetterDestination("orders")).isEqualTo("orders-dlq");
      try (SqsClient raw = ElasticMq.get().client()) {
        String url =
            raw.getQueueUrl(r -> r.queueName(settings.namePrefix() + "orders.fifo")).queueUrl();
        Map<QueueAttributeName, String> attributes =
            raw.getQueueAttributes(r -> r.queueUrl(url).attributeNames(QueueAttributeName.ALL))
                .attributes();
        assertThat(attributes)
            .containsEntry(QueueAttributeName.FIFO_QUEUE, "true")
            .containsEntry(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
        raw.getQueueUrl(r -> r.queueName(settings.namePrefix() + "orders-dlq.fifo"));
      }
    }

    @Test
    @DisplayName("without createTopology, declaring a missing queue fails with a hint")
    void checkOnly() {
      SqsTransport t = transport(ElasticMq.get().settings().createTopology(false));
      assertThatThrownBy(() -> t.declare("missing"))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not exist")
          .hasMessageContaining("Hint");
    }

    @Test
    @DisplayName("a destination SQS cannot name is refused")
    void badName() {
      SqsTransport t = transport(ElasticMq.get().settings());
      assertThatThrownBy(() -> t.declare("orders.in"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("but was 'orders.in'");
      assertThatThrownBy(() -> t.declare("x".repeat(80)))
          .hasMessageContaining("at most 80 characters");
    }

    @Test
    @DisplayName("closing the transport leaves a host's client open")
    void hostClient() throws Exception {
      SqsClient client = closing(ElasticMq.get().client());
      SqsTransport t = SqsTransport.create(client, ElasticMq.get().settings().build());
      t.declare("host");
      t.close();
      assertThat(client.listQueues().queueUrls()).isNotNull();
    }
  }

  @Nested
  @DisplayName("FIFO")
  class Fifo {
    @Test
    @DisplayName(
        "a group's messages are handled in order, one at a time, even with several threads")
    void order() throws Exception {
      SqsTransport t = transport(ElasticMq.get().settings().fifo(true).consumerThreads(8));
      t.declare("ordered");
      List<OutboundMessage> messages = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        messages.add(
            new OutboundMessage(
                "o-" + i,
                Map.of(Transport.HEADER_ROUTE, "route-a"),
                Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                "text/plain"));
      }
      for (var f : t.publishAll("ordered", messages)) {
        f.get(5, TimeUnit.SECONDS);
      }
      BlockingQueue<InboundMessage> seen = new LinkedBlockingQueue<>();
      closing(
          t.subscribe(
              "ordered",
              m -> {
                seen.add(m);
                return m.messageId().equals("o-5") && !m.redelivered()
                    ? Disposition.requeue("once")
                    : Disposition.ack();
              }));
      List<String> ids = new ArrayList<>();
      while (ids.size() < 31) {
        ids.add(next(seen).messageId());
      }
      // o-5 is requeued once: it comes again, and nothing after it overtakes it.
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        expected.add("o-" + i);
        if (i == 5) {
          expected.add("o-5");
        }
      }
      assertThat(ids).containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("the same message id published twice is delivered once (deduplication id)")
    void dedup() throws Exception {
      SqsTransport t = transport(ElasticMq.get().settings().fifo(true));
      t.declare("dedup");
      String id = UUID.randomUUID().toString();
      t.publish("dedup", message(id)).get(5, TimeUnit.SECONDS);
      t.publish("dedup", message(id)).get(5, TimeUnit.SECONDS);
      t.publish("dedup", message("marker")).get(5, TimeUnit.SECONDS);
      BlockingQueue<InboundMessage> seen = new LinkedBlockingQueue<>();
      closing(
          t.subscribe(
              "dedup",
              m -> {
                seen.add(m);
                return Disposition.ack();
              }));
      assertThat(next(seen).messageId()).isEqualTo(id);
      assertThat(next(seen).messageId()).isEqualTo("marker");
    }
  }
}
