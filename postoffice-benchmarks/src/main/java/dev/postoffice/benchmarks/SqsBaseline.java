package dev.postoffice.benchmarks;

import dev.postoffice.sqs.SqsTransportSettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * The SQS baseline: the plain AWS SDK v2 {@link SqsClient} on the same embedded ElasticMQ, one leg
 * only: {@code sendMessageBatch} (ten a call) from {@value #THREADS} threads, {@code
 * receiveMessage} (up to ten, long-polling) and {@code deleteMessageBatch} from {@value #THREADS}
 * others (the transport's default sender and consumer threads). Done when every message is deleted.
 * The pipeline does this twice per message (the core message, then its acknowledgement), so a ratio
 * near 0.5 means PostOffice adds little.
 */
final class SqsBaseline {
  static final int THREADS = SqsTransportSettings.DEFAULT_SENDER_THREADS;
  private static final int BATCH = 10;

  private SqsBaseline() {}

  /**
   * Runs once.
   *
   * @param sqs the embedded server
   * @param messages how many
   * @param body each message's body (the pipeline's layer-4 payload, so sizes match)
   * @return the seconds it took and the process CPU per message in µs
   */
  static double[] run(SqsScenario sqs, int messages, byte[] body) throws Exception {
    String prefix = "bench" + UUID.randomUUID().toString().substring(0, 8) + "-";
    String text = new String(body, StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(2 * THREADS);
    try (SqsClient client = sqs.client()) {
      String url = client.createQueue(r -> r.queueName(prefix + "baseline")).queueUrl();
      AtomicInteger deleted = new AtomicInteger();
      // Stopped by the last delete, not by the end of the other receivers' long-polls.
      AtomicLong finished = new AtomicLong();
      long cpuBefore = Stats.processCpuNanos();
      long started = System.nanoTime();
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int first = t;
        work.add(
            pool.submit(
                () -> {
                  for (int from = first * BATCH; from < messages; from += THREADS * BATCH) {
                    List<SendMessageBatchRequestEntry> batch = new ArrayList<>(BATCH);
                    for (int i = from; i < Math.min(messages, from + BATCH); i++) {
                      batch.add(
                          SendMessageBatchRequestEntry.builder()
                              .id(Integer.toString(i - from))
                              .messageBody(text)
                              .build());
                    }
                    client.sendMessageBatch(r -> r.queueUrl(url).entries(batch));
                  }
                }));
        work.add(
            pool.submit(
                () -> {
                  while (deleted.get() < messages) {
                    List<Message> received =
                        client
                            .receiveMessage(
                                r -> r.queueUrl(url).maxNumberOfMessages(BATCH).waitTimeSeconds(1))
                            .messages();
                    if (received.isEmpty()) {
                      continue;
                    }
                    List<DeleteMessageBatchRequestEntry> done = new ArrayList<>(received.size());
                    for (int i = 0; i < received.size(); i++) {
                      done.add(
                          DeleteMessageBatchRequestEntry.builder()
                              .id(Integer.toString(i))
                              .receiptHandle(received.get(i).receiptHandle())
                              .build());
                    }
                    client.deleteMessageBatch(r -> r.queueUrl(url).entries(done));
                    if (deleted.addAndGet(done.size()) >= messages) {
                      finished.compareAndSet(0, System.nanoTime());
                    }
                  }
                }));
      }
      for (Future<?> f : work) {
        f.get();
      }
      double seconds = (finished.get() - started) / 1e9;
      double cpu = (Stats.processCpuNanos() - cpuBefore) / 1000.0 / messages;
      client.deleteQueue(r -> r.queueUrl(url));
      return new double[] {seconds, cpu};
    } finally {
      pool.shutdownNow();
    }
  }
}
