package dev.postoffice.sqs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.postoffice.PermanentFailureException;
import dev.postoffice.RejectedInputException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.sqs.SqsTransportSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResultEntry;
import software.amazon.awssdk.services.sqs.model.SqsException;

/** Batching and per-message results of the publisher, against a mocked {@link SqsClient}. */
@DisplayName("Publisher")
class PublisherTest {
  private final SqsClient client = mock(SqsClient.class, CALLS_REAL_METHODS);
  private final List<SendMessageBatchRequest> calls = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
  private final ExecutorService senders = Executors.newFixedThreadPool(2);

  PublisherTest() {
    doReturn(GetQueueUrlResponse.builder().queueUrl("http://sqs/q").build())
        .when(client)
        .getQueueUrl(any(GetQueueUrlRequest.class));
    answerAllOk();
  }

  private void answerAllOk() {
    doAnswer(
            inv -> {
              SendMessageBatchRequest r = inv.getArgument(0);
              calls.add(r);
              return SendMessageBatchResponse.builder()
                  .successful(
                      r.entries().stream()
                          .map(
                              e ->
                                  SendMessageBatchResultEntry.builder()
                                      .id(e.id())
                                      .messageId("sqs-" + e.id())
                                      .build())
                          .toList())
                  .build();
            })
        .when(client)
        .sendMessageBatch(any(SendMessageBatchRequest.class));
  }

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
    senders.shutdownNow();
  }

  private Publisher publisher(Duration linger) {
    SqsTransportSettings settings = SqsTransportSettings.builder().batchLinger(linger).build();
    return new Publisher(client, new QueueRegistry(client, settings), settings, scheduler, senders);
  }

  private static List<OutboundMessage> messages(int n, int bodyBytes) {
    List<OutboundMessage> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add(
          new OutboundMessage(
              "m-" + i,
              Map.of(),
              "x".repeat(bodyBytes).getBytes(StandardCharsets.UTF_8),
              "text/plain"));
    }
    return list;
  }

  private static void awaitAll(List<CompletableFuture<Void>> futures) {
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .handle((v, e) -> null)
        .join();
  }

  private static Throwable failure(CompletableFuture<Void> f) {
    Throwable t = catchThrowable(() -> f.get(5, TimeUnit.SECONDS));
    return t instanceof ExecutionException ? t.getCause() : t;
  }

  @Nested
  @DisplayName("batching")
  class Batching {
    @Test
    @DisplayName("publishAll sends at most ten messages per SendMessageBatch call")
    void tenPerCall() {
      List<CompletableFuture<Void>> futures =
          publisher(Duration.ofMillis(10)).publish("q", messages(25, 10), true);
      awaitAll(futures);
      assertThat(futures).allMatch(f -> !f.isCompletedExceptionally());
      assertThat(calls).extracting(c -> c.entries().size()).containsExactlyInAnyOrder(10, 10, 5);
    }

    @Test
    @DisplayName("a batch stays within the SQS batch size limit")
    void byteLimit() {
      List<CompletableFuture<Void>> futures =
          publisher(Duration.ZERO).publish("q", messages(5, 100_000), true);
      awaitAll(futures);
      assertThat(calls).extracting(c -> c.entries().size()).containsExactlyInAnyOrder(2, 2, 1);
      for (SendMessageBatchRequest call : calls) {
        assertThat(call.entries().stream().mapToInt(e -> e.messageBody().length()).sum())
            .isLessThan(262_144);
      }
    }

    @Test
    @DisplayName("single publishes within the linger share one call")
    void linger() {
      Publisher p = publisher(Duration.ofMillis(300));
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (OutboundMessage m : messages(5, 10)) {
        futures.addAll(p.publish("q", List.of(m), false));
      }
      awaitAll(futures);
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0).entries()).extracting(SendMessageBatchRequestEntry::id).hasSize(5);
    }

    @Test
    @DisplayName("the queue URL is resolved once and cached")
    void urlCached() {
      Publisher p = publisher(Duration.ZERO);
      for (int i = 0; i < 3; i++) {
        awaitAll(p.publish("q", messages(2, 10), true));
      }
      verify(client, times(1)).getQueueUrl(any(GetQueueUrlRequest.class));
    }
  }

  @Nested
  @DisplayName("failures")
  class Failures {
    @Test
    @DisplayName("a partial batch failure fails only the refused messages, each with its reason")
    void partial() {
      doAnswer(
              inv -> {
                SendMessageBatchRequest r = inv.getArgument(0);
                return SendMessageBatchResponse.builder()
                    .successful(
                        SendMessageBatchResultEntry.builder().id("0").messageId("a").build(),
                        SendMessageBatchResultEntry.builder().id("3").messageId("d").build())
                    .failed(
                        BatchResultErrorEntry.builder()
                            .id("1")
                            .code("InvalidParameterValue")
                            .message("bad")
                            .senderFault(true)
                            .build(),
                        BatchResultErrorEntry.builder()
                            .id("2")
                            .code("InternalError")
                            .message("try later")
                            .senderFault(false)
                            .build())
                    .build();
              })
          .when(client)
          .sendMessageBatch(any(SendMessageBatchRequest.class));
      List<CompletableFuture<Void>> futures =
          publisher(Duration.ZERO).publish("q", messages(4, 10), true);
      awaitAll(futures);
      assertThat(futures.get(0)).isCompleted().isNotCompletedExceptionally();
      assertThat(futures.get(3)).isCompleted().isNotCompletedExceptionally();
      assertThat(failure(futures.get(1)))
          .isInstanceOf(PermanentFailureException.class)
          .hasMessageContaining("m-1")
          .hasMessageContaining("InvalidParameterValue bad");
      assertThat(failure(futures.get(2)))
          .isInstanceOf(TransientFailureException.class)
          .hasMessageContaining("m-2");
    }

    @Test
    @DisplayName("a failed call fails every message of its batch as transient, keeping the cause")
    void wholeCall() {
      doThrow(SqsException.builder().message("throttled").build())
          .when(client)
          .sendMessageBatch(any(SendMessageBatchRequest.class));
      List<CompletableFuture<Void>> futures =
          publisher(Duration.ZERO).publish("q", messages(3, 10), true);
      awaitAll(futures);
      for (CompletableFuture<Void> f : futures) {
        assertThat(failure(f))
            .isInstanceOf(TransientFailureException.class)
            .hasMessageContaining("may or may not have arrived")
            .hasCauseInstanceOf(SqsException.class);
      }
    }

    @Test
    @DisplayName("an over-size message inside a batch fails alone; the others are sent")
    void oversizeInBatch() {
      List<OutboundMessage> list = new ArrayList<>(messages(2, 10));
      list.add(
          1, new OutboundMessage("big", Map.of(), new byte[300_000], "application/octet-stream"));
      List<CompletableFuture<Void>> futures = publisher(Duration.ZERO).publish("q", list, true);
      awaitAll(futures);
      assertThat(failure(futures.get(1)))
          .isInstanceOf(RejectedInputException.class)
          .hasMessageContaining("at most 190464 bytes");
      assertThat(futures.get(0)).isNotCompletedExceptionally();
      assertThat(futures.get(2)).isNotCompletedExceptionally();
      assertThat(calls).hasSize(1);
      assertThat(calls.get(0).entries()).hasSize(2);
    }

    @Test
    @DisplayName("publishing after close fails, telling to publish again with the same id")
    void afterClose() {
      Publisher p = publisher(Duration.ZERO);
      p.close(Duration.ofSeconds(1));
      assertThat(failure(p.publish("q", messages(1, 10), false).get(0)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("publish it again with the same id");
    }
  }
}
