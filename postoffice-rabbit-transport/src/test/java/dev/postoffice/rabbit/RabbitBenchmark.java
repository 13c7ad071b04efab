package dev.postoffice.rabbit;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Prints msgs/s against the local broker (not run by the build): the plain Java client with a
 * confirm window (the baseline), {@link RabbitTransport#publish} with confirms, and publish +
 * consume + ack through the transport. Arguments: message count (default 50000), body bytes
 * (default 512), then "quorum" for quorum queues. Run it with the command in docs/performance.md.
 */
public final class RabbitBenchmark {
  private static final int WINDOW = RabbitTransportSettings.DEFAULT_MAX_OUTSTANDING_PUBLISHES;

  private RabbitBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    int bodyBytes = args.length > 1 ? Integer.parseInt(args[1]) : 512;
    boolean quorum = args.length > 2 && args[2].equals("quorum");
    byte[] body = new byte[bodyBytes];
    String prefix = Broker.uniquePrefix();
    List<String> destinations = List.of("bench-plain", "bench-publish", "bench-roundtrip");
    try (RabbitTransport t =
        RabbitTransport.create(Broker.settings(prefix).quorumQueues(quorum).build())) {
      destinations.forEach(t::declare);
      for (int round = 1; round <= 2; round++) { // round 1 warms up the JIT
        System.out.printf(
            "round %d (%d messages of %d bytes, %s queues, persistent, confirmed):%n",
            round, count, bodyBytes, quorum ? "quorum" : "classic");
        report(
            "plain Java client, confirm window " + WINDOW, count, plainClient(prefix, count, body));
        report("RabbitTransport.publish", count, transportPublish(t, "bench-publish", count, body));
        report(
            "publish + consume + ack round trip",
            count,
            roundTrip(t, "bench-roundtrip", count, body));
      }
    } finally {
      Broker.cleanUp(prefix, destinations);
    }
  }

  private static void report(String what, int count, long nanos) {
    System.out.printf("  %-45s %,10.0f msgs/s%n", what, count / (nanos / 1e9));
  }

  private static OutboundMessage message(int i, byte[] body) {
    return new OutboundMessage(
        "bench-" + i,
        Map.of(Transport.HEADER_TRACE_ID, "trace-" + i),
        body,
        "application/octet-stream");
  }

  /** The baseline: the Java client alone, async confirms, the same window. */
  private static long plainClient(String prefix, int count, byte[] body) throws Exception {
    try (Connection c = Broker.raw();
        Channel ch = c.createChannel()) {
      ch.confirmSelect();
      ConcurrentSkipListMap<Long, Boolean> outstanding = new ConcurrentSkipListMap<>();
      Semaphore window = new Semaphore(WINDOW);
      CountDownLatch done = new CountDownLatch(count);
      ch.addConfirmListener(
          (seq, multiple) -> {
            var settled =
                multiple
                    ? outstanding.headMap(seq, true)
                    : outstanding.subMap(seq, true, seq, true);
            int n = settled.size();
            settled.clear();
            window.release(n);
            for (int i = 0; i < n; i++) {
              done.countDown();
            }
          },
          (seq, multiple) -> {
            throw new IllegalStateException("nack " + seq);
          });
      long start = System.nanoTime();
      for (int i = 0; i < count; i++) {
        window.acquire();
        outstanding.put(ch.getNextPublishSeqNo(), Boolean.TRUE);
        AMQP.BasicProperties props =
            new AMQP.BasicProperties.Builder()
                .messageId("plain-" + i)
                .deliveryMode(2)
                .contentType("application/octet-stream")
                .build();
        ch.basicPublish(prefix + "postoffice", prefix + "bench-plain", true, props, body);
      }
      done.await(5, TimeUnit.MINUTES);
      long nanos = System.nanoTime() - start;
      ch.queuePurge(prefix + "bench-plain");
      return nanos;
    }
  }

  private static long transportPublish(RabbitTransport t, String d, int count, byte[] body)
      throws Exception {
    List<CompletableFuture<Void>> futures = new ArrayList<>(count);
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      futures.add(t.publish(d, message(i, body)));
    }
    CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
    long nanos = System.nanoTime() - start;
    try (Connection c = Broker.raw();
        Channel ch = c.createChannel()) {
      ch.queuePurge(t.settings().namePrefix() + d);
    }
    return nanos;
  }

  private static long roundTrip(RabbitTransport t, String d, int count, byte[] body)
      throws Exception {
    CountDownLatch consumed = new CountDownLatch(count);
    List<CompletableFuture<Void>> futures = new ArrayList<>(count);
    long start = System.nanoTime();
    try (Subscription s =
        t.subscribe(
            d,
            m -> {
              consumed.countDown();
              return Disposition.ack();
            })) {
      for (int i = 0; i < count; i++) {
        futures.add(t.publish(d, message(i, body)));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      if (!consumed.await(5, TimeUnit.MINUTES)) {
        throw new IllegalStateException("only " + (count - consumed.getCount()) + " consumed");
      }
      return System.nanoTime() - start;
    }
  }
}
