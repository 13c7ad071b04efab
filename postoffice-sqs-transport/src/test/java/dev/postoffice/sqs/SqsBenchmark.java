package dev.postoffice.sqs;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Prints msgs/s of the SQS transport against an embedded ElasticMQ: batched publishing
 * (publishAll), single publishes batched by the linger, and the round trip publish + receive +
 * delete. Not run by the build: see docs/performance.md for the command.
 */
public final class SqsBenchmark {
  private static final int MESSAGES = 5000;
  private static final byte[] BODY =
      ("{\"orderId\":\"A-1\",\"lines\":[" + "{\"sku\":\"X\",\"qty\":1},".repeat(6) + "{}]}")
          .getBytes(StandardCharsets.UTF_8);

  private SqsBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args ignored
   * @throws Exception if a step fails
   */
  public static void main(String[] args) throws Exception {
    System.out.println(
        "SQS transport on embedded ElasticMQ, "
            + MESSAGES
            + " messages of "
            + BODY.length
            + " bytes, "
            + Runtime.getRuntime().availableProcessors()
            + " cores");
    for (int round = 1; round <= 2; round++) {
      System.out.println("round " + round + (round == 1 ? " (warm-up)" : ""));
      for (boolean fifo : new boolean[] {false, true}) {
        run(fifo);
      }
    }
    System.exit(0);
  }

  private static void run(boolean fifo) throws Exception {
    String kind = fifo ? "FIFO    " : "standard";
    try (SqsTransport t =
        SqsTransport.create(
            ElasticMq.get()
                .settings()
                .fifo(fifo)
                .batchLinger(Duration.ofMillis(5))
                .consumerThreads(20)
                .senderThreads(8)
                .build())) {
      t.declare("bench");
      long start = System.nanoTime();
      List<CompletableFuture<Void>> futures = new ArrayList<>();
      for (int i = 0; i < MESSAGES; i += 100) {
        List<OutboundMessage> chunk = new ArrayList<>();
        for (int j = i; j < i + 100; j++) {
          chunk.add(message("a-" + j));
        }
        futures.addAll(t.publishAll("bench", chunk));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
      print(kind, "publishAll (batches of 10)", start);

      start = System.nanoTime();
      futures.clear();
      for (int i = 0; i < MESSAGES; i++) {
        futures.add(t.publish("bench", message("b-" + i)));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
      print(kind, "publish one by one (linger 5 ms)", start);

      CountDownLatch drained = new CountDownLatch(2 * MESSAGES);
      start = System.nanoTime();
      try (Subscription s =
          t.subscribe(
              "bench",
              m -> {
                drained.countDown();
                return Disposition.ack();
              })) {
        if (!drained.await(5, TimeUnit.MINUTES)) {
          throw new IllegalStateException("not drained: " + drained.getCount() + " left");
        }
        print(kind, "receive + delete (backlog, 20 threads)", start, 2 * MESSAGES);
      }

      CountDownLatch roundTrip = new CountDownLatch(MESSAGES);
      try (Subscription s =
          t.subscribe(
              "bench",
              m -> {
                roundTrip.countDown();
                return Disposition.ack();
              })) {
        start = System.nanoTime();
        futures.clear();
        for (int i = 0; i < MESSAGES; i += 100) {
          List<OutboundMessage> chunk = new ArrayList<>();
          for (int j = i; j < i + 100; j++) {
            chunk.add(message("c-" + j));
          }
          futures.addAll(t.publishAll("bench", chunk));
        }
        if (!roundTrip.await(5, TimeUnit.MINUTES)) {
          throw new IllegalStateException(
              "round trip incomplete: " + roundTrip.getCount() + " left");
        }
        print(kind, "round trip publish + receive + delete", start);
      }
    }
  }

  private static OutboundMessage message(String id) {
    return new OutboundMessage(
        id,
        Map.of(
            Transport.HEADER_TRACE_ID,
            "trace-" + id,
            Transport.HEADER_ROUTE,
            "route-" + (id.hashCode() & 7)),
        BODY,
        "application/json");
  }

  private static void print(String kind, String what, long start) {
    print(kind, what, start, MESSAGES);
  }

  private static void print(String kind, String what, long start, int count) {
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "  %s %-42s %8.0f msgs/s  (%d in %.2f s)%n", kind, what, count / seconds, count, seconds);
  }
}
