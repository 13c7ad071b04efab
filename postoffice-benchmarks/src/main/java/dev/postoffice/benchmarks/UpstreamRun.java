package dev.postoffice.benchmarks;

import dev.postoffice.BacklogFullException;
import dev.postoffice.Intake;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.benchmarks.Workload.CoreOrder;
import dev.postoffice.benchmarks.Workload.PartnerOrder;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.spi.ReceiptLog;
import dev.postoffice.spi.StatusStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import java.util.stream.LongStream;

/**
 * One measured run of the upstream path: producers submit {@code messages} raw orders one per call,
 * spread over the nodes; the route normalizes (L1 to L2), translates (L2 to L3), hands off (L3 to
 * L4) and publishes (L4); a Core App receiver decodes each core order and acknowledges it; the run
 * ends when the store has recorded every layer-4 entry {@code ACKNOWLEDGED}. The store and broker
 * come from the scenario. With a backlog (messages already waiting in the store, see {@link
 * Options#backlog()}) nothing is submitted: the run carries the first {@code messages} of the
 * backlog and samples the live heap while it does.
 */
final class UpstreamRun {
  static final String QUEUE = "core.bench";

  /**
   * How long the in-memory store keeps finished entries when purging (system property
   * bench.retainMillis).
   */
  static final long RETAIN_MILLIS = Long.getLong("bench.retainMillis", 1000);

  private UpstreamRun() {}

  /**
   * Runs once.
   *
   * @param stores one store per node (the same instance for all nodes in memory)
   * @param broker the run's transports
   * @param receipts the Core App receiver's receipt log
   */
  static RunResult run(
      List<StatusStore> stores,
      RunBroker broker,
      ReceiptLog receipts,
      String routeName,
      List<RawMessage> messages,
      Options o)
      throws InterruptedException {
    // One clock per node: every node may record an acknowledgement (the ack queue is shared), and
    // each clock
    // is told of every submit so that it can time the acknowledgements it sees.
    List<AckClock> clocks = new ArrayList<>();
    for (StatusStore store : stores) {
      clocks.add(new AckClock(store));
    }
    JacksonCodec codec = JacksonCodec.create();
    RouteSettings settings = o.routeSettings();
    Route route =
        Route.upstream(routeName)
            .normalize(PartnerOrder.class, raw -> Workload.normalize(codec, raw))
            .translate(CoreOrder.class, order -> List.of(Workload.translate(order)))
            .publishTo(broker.queue())
            .settings(settings)
            .build();
    AtomicLong handled = new AtomicLong();
    CoreAppReceiver<CoreOrder> receiver =
        CoreAppReceiver.builder(broker.core(), receipts, CoreOrder.class)
            .from(broker.queue())
            .codec(codec)
            .handler((order, context) -> handled.incrementAndGet())
            .build();
    List<Pipeline> pipelines = new ArrayList<>();
    try (Stats.HeapPeak heap = new Stats.HeapPeak();
        Stats.LiveHeap liveHeap = o.backlog() > 0 ? new Stats.LiveHeap(1_000) : null) {
      for (int n = 0; n < stores.size(); n++) {
        PipelineListener listener = o.pipelineListener();
        Pipeline pipeline =
            PostOffice.builder()
                .nodeId("bench-node-" + n)
                .store(clocks.get(n))
                .transport(broker.node(n))
                .codec(codec)
                .listener(listener)
                .route(route)
                .build();
        Options.bindMeters(listener, pipeline);
        pipelines.add(pipeline);
      }
      receiver.start();
      pipelines.forEach(Pipeline::start);
      Thread purger = null;
      if (o.purge() && stores.get(0) instanceof InMemoryStatusStore memory) {
        purger =
            new Thread(
                () -> {
                  while (!Thread.currentThread().isInterrupted()) {
                    memory.purgeFinishedBefore(Instant.now().minusMillis(RETAIN_MILLIS));
                    LockSupport.parkNanos(RETAIN_MILLIS * 500_000L);
                  }
                },
                "purger");
        purger.setDaemon(true);
        purger.start();
      }
      List<Intake> intakes = pipelines.stream().map(p -> p.intake(routeName)).toList();
      LongSupplier acknowledged = () -> clocks.stream().mapToLong(AckClock::acknowledged).sum();
      long cpuBefore = Stats.processCpuNanos();
      Stats.AllocationMark allocationBefore = Stats.AllocationMark.now();
      long gcBefore = Stats.gcMillis();
      long started = System.nanoTime();
      List<Thread> producers = new ArrayList<>();
      AtomicLong submitted = new AtomicLong();
      // Each producer writes the durations of its own messages' submits (every producers-th slot).
      long[] submitNanos = new long[o.backlog() > 0 ? 0 : messages.size()];
      for (int p = 0; p < (o.backlog() > 0 ? 0 : o.producers()); p++) {
        int first = p;
        long nanosPerMessage = o.rate() > 0 ? 1_000_000_000L / o.rate() : 0;
        Thread t =
            new Thread(
                () -> {
                  try {
                    produce(
                        intakes,
                        clocks,
                        acknowledged,
                        messages,
                        first,
                        o.producers(),
                        o.window(),
                        submitted,
                        started,
                        nanosPerMessage,
                        submitNanos);
                  } finally {
                    Stats.threadEnding();
                  }
                },
                "producer-" + p);
        producers.add(t);
        t.start();
      }
      long deadline = started + Duration.ofMinutes(10).toNanos();
      while (acknowledged.getAsLong() < messages.size()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "run did not finish in 10 minutes: "
                  + acknowledged.getAsLong()
                  + " of "
                  + messages.size()
                  + " acknowledged, "
                  + handled.get()
                  + " handled by the Core App");
        }
        LockSupport.parkNanos(200_000);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpu = (Stats.processCpuNanos() - cpuBefore) / 1000.0 / messages.size();
      double allocated = (double) allocationBefore.allocatedSince() / messages.size();
      long liveDuringRun = liveHeap == null ? -1 : liveHeap.peakMegabytes();
      long gcMillisDuringRun = Stats.gcMillis() - gcBefore;
      for (Thread t : producers) {
        t.join();
      }
      if (purger != null) {
        purger.interrupt();
      }
      long[] latencies =
          clocks.stream().flatMapToLong(c -> LongStream.of(c.latenciesMicros())).sorted().toArray();
      System.gc(); // after the clock stopped: what the pipeline and its store hold, without garbage
      long live = Stats.heapUsedBytes() / (1024 * 1024);
      return new RunResult(
          messages.size(),
          seconds,
          Stats.percentile(latencies, 50),
          Stats.percentile(latencies, 99),
          heap.peakMegabytes(),
          cpu,
          gcMillisDuringRun,
          live,
          clocks.stream().mapToLong(AckClock::overtaken).sum(),
          liveDuringRun,
          allocated,
          RunResult.Latency.ofNanos(submitNanos));
    } finally {
      receiver.close();
      pipelines.forEach(Pipeline::close);
    }
  }

  /**
   * Submits every {@code step}-th message from {@code first}, one per call, as webhooks would, to
   * the nodes in turn, keeping at most {@code window} messages in flight over all producers; with a
   * rate, message {@code i} is not submitted before {@code started + i * nanosPerMessage}. Records
   * how long each submit took in {@code submitNanos[i]} (retries after a full backlog included: the
   * webhook's caller waits for them too).
   */
  private static void produce(
      List<Intake> intakes,
      List<AckClock> clocks,
      LongSupplier acknowledged,
      List<RawMessage> messages,
      int first,
      int step,
      int window,
      AtomicLong submitted,
      long started,
      long nanosPerMessage,
      long[] submitNanos) {
    for (int i = first; i < messages.size(); i += step) {
      RawMessage message = messages.get(i);
      long wait;
      while (nanosPerMessage > 0
          && (wait = started + i * nanosPerMessage - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      while (window > 0 && submitted.get() - acknowledged.getAsLong() >= window) {
        LockSupport.parkNanos(100_000);
      }
      submitted.incrementAndGet();
      Intake intake = intakes.get(i % intakes.size());
      long firstTry = System.nanoTime();
      while (true) {
        long at = System.nanoTime();
        try {
          IntakeReceipt receipt = intake.submit(message);
          submitNanos[i] = System.nanoTime() - firstTry;
          for (AckClock clock : clocks) {
            clock.submitted(receipt.traceId(), at);
          }
          break;
        } catch (BacklogFullException e) {
          LockSupport.parkNanos(1_000_000); // a webhook would answer 503 with Retry-After
        }
      }
    }
  }
}
