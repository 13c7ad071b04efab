package dev.postoffice.benchmarks;

import dev.postoffice.BacklogFullException;
import dev.postoffice.Intake;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.benchmarks.Workload.CoreOrder;
import dev.postoffice.benchmarks.Workload.PartnerOrder;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.codec.JacksonCodec;
import dev.postoffice.core.exchange.CoreAppReceiver;
import dev.postoffice.core.memory.InMemoryReceiptLog;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.spi.StatusStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured run of the upstream path: producers submit {@code messages} raw orders one per call; the route
 * normalizes (L1 to L2), translates (L2 to L3), hands off (L3 to L4) and publishes (L4); a Core App receiver
 * decodes each core order and acknowledges it; the run ends when the store has recorded every layer-4 entry
 * {@code ACKNOWLEDGED}.
 */
final class UpstreamRun {
  static final String QUEUE = "core.bench";
  /** How long the in-memory store keeps finished entries when purging (system property bench.retainMillis). */
  static final long RETAIN_MILLIS = Long.getLong("bench.retainMillis", 1000);

  /** What one run measured. */
  record Result(int messages, double seconds, long p50Micros, long p99Micros, long heapPeakMegabytes,
      double cpuMicrosPerMessage, long gcMillis, long liveHeapMegabytes, long overtaken) {
    double rate() {
      return messages / seconds;
    }
  }

  private UpstreamRun() {}

  static Result run(StatusStore backing, String routeName, List<RawMessage> messages, Options o)
      throws InterruptedException {
    AckClock store = new AckClock(backing);
    JacksonCodec codec = JacksonCodec.create();
    InMemoryTransport transport = InMemoryTransport.builder()
        .capacityPerDestination(Math.max(InMemoryTransport.DEFAULT_CAPACITY_PER_DESTINATION, messages.size() + 1))
        .build();
    RouteSettings settings = RouteSettings.builder()
        .batchSize(o.batchSize())
        .concurrency(o.concurrency())
        .build();
    Route route = Route.upstream(routeName)
        .normalize(PartnerOrder.class, raw -> Workload.normalize(codec, raw))
        .translate(CoreOrder.class, order -> List.of(Workload.translate(order)))
        .publishTo(QUEUE)
        .settings(settings)
        .build();
    AtomicLong handled = new AtomicLong();
    CoreAppReceiver<CoreOrder> receiver = CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(),
            CoreOrder.class)
        .from(QUEUE)
        .codec(codec)
        .handler((order, context) -> handled.incrementAndGet())
        .build();
    try (Pipeline pipeline = PostOffice.builder().store(store).transport(transport).codec(codec).route(route)
        .build();
        Stats.HeapPeak heap = new Stats.HeapPeak()) {
      receiver.start();
      pipeline.start();
      Thread purger = null;
      if (o.purge() && backing instanceof InMemoryStatusStore memory) {
        purger = new Thread(() -> {
          while (!Thread.currentThread().isInterrupted()) {
            memory.purgeFinishedBefore(Instant.now().minusMillis(RETAIN_MILLIS));
            LockSupport.parkNanos(RETAIN_MILLIS * 500_000L);
          }
        }, "purger");
        purger.setDaemon(true);
        purger.start();
      }
      Intake intake = pipeline.intake(routeName);
      long cpuBefore = Stats.processCpuNanos();
      long gcBefore = Stats.gcMillis();
      long started = System.nanoTime();
      List<Thread> producers = new ArrayList<>();
      AtomicLong submitted = new AtomicLong();
      for (int p = 0; p < o.producers(); p++) {
        int first = p;
        Thread t = new Thread(() -> produce(intake, store, messages, first, o.producers(), o.window(), submitted),
            "producer-" + p);
        producers.add(t);
        t.start();
      }
      long deadline = started + Duration.ofMinutes(10).toNanos();
      while (store.acknowledged() < messages.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("run did not finish in 10 minutes: " + store.acknowledged() + " of "
              + messages.size() + " acknowledged, " + handled.get() + " handled by the Core App");
        }
        LockSupport.parkNanos(200_000);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpu = (Stats.processCpuNanos() - cpuBefore) / 1000.0 / messages.size();
      long gcMillisDuringRun = Stats.gcMillis() - gcBefore;
      for (Thread t : producers) {
        t.join();
      }
      if (purger != null) {
        purger.interrupt();
      }
      long[] latencies = store.latenciesMicros();
      System.gc(); // after the clock stopped: what the pipeline and its store hold, without garbage
      long live = Stats.heapUsedBytes() / (1024 * 1024);
      return new Result(messages.size(), seconds, Stats.percentile(latencies, 50), Stats.percentile(latencies, 99),
          heap.peakMegabytes(), cpu, gcMillisDuringRun, live, store.overtaken());
    } finally {
      receiver.close();
      transport.close();
    }
  }

  /**
   * Submits every {@code step}-th message from {@code first}, one per call, as webhooks would, keeping at most
   * {@code window} messages in flight over all producers.
   */
  private static void produce(Intake intake, AckClock store, List<RawMessage> messages, int first, int step,
      int window, AtomicLong submitted) {
    for (int i = first; i < messages.size(); i += step) {
      RawMessage message = messages.get(i);
      while (window > 0 && submitted.get() - store.acknowledged() >= window) {
        LockSupport.parkNanos(100_000);
      }
      submitted.incrementAndGet();
      while (true) {
        long at = System.nanoTime();
        try {
          IntakeReceipt receipt = intake.submit(message);
          store.submitted(receipt.traceId(), at);
          break;
        } catch (BacklogFullException e) {
          LockSupport.parkNanos(1_000_000); // a webhook would answer 503 with Retry-After
        }
      }
    }
  }
}
