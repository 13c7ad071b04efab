package dev.postoffice.benchmarks;

import dev.postoffice.PartnerRequest;
import dev.postoffice.RawMessage;
import dev.postoffice.benchmarks.Workload.CoreOrder;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.dispatch.HttpDispatcher;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.model.Payload;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One measured run of the downstream path: producers send {@code messages} core orders through a
 * {@link CoreAppSender} on the in-memory transport; each node's downstream route consumes them (L4,
 * stored Just In before the broker is acked), translates each into a {@link Shipment} (L4 to L3),
 * normalizes that into a POST request (L3 to L2, then L1) and dispatches it with an {@link
 * HttpDispatcher} to the loopback {@link PartnerServer}; the run ends when every layer-1 entry is
 * {@code DISPATCHED}.
 */
final class DownstreamRun {
  static final String QUEUE = "core.shipments";

  /** The partner's shipment request: what one core order becomes downstream. */
  record Shipment(
      String reference, String customer, String currency, int parcels, long totalCents) {}

  private DownstreamRun() {}

  /** The translator: one shipment per core order. */
  static Shipment ship(CoreOrder order) {
    return new Shipment(
        "SHIP-" + order.orderId(),
        order.customerId(),
        order.currency(),
        order.lines(),
        order.totalCents());
  }

  /**
   * The core order number {@code i}, as the upstream path makes it from partner order {@code i}.
   */
  static CoreOrder coreOrder(Codec codec, int i) {
    return Workload.translate(
        Workload.normalize(
            codec, new RawMessage(Payload.of(Workload.json(i), Payload.JSON), Map.of(), null)));
  }

  /**
   * Runs once.
   *
   * @param stores one store per node
   * @param partner the partner stand-in
   */
  static RunResult run(
      List<StatusStore> stores, PartnerServer partner, String routeName, int messages, Options o)
      throws InterruptedException {
    JacksonCodec codec = JacksonCodec.create();
    DispatchClock clock = new DispatchClock();
    HttpDispatcher http = HttpDispatcher.builder().build();
    URI uri = partner.uri();
    Route route =
        Route.downstream(routeName)
            .consumeFrom(QUEUE, CoreOrder.class)
            .translate(Shipment.class, order -> List.of(ship(order)))
            .normalize(shipment -> PartnerRequest.post(uri, codec.encode(shipment)))
            .dispatchWith(clock.dispatcher(http))
            .settings(o.routeSettings())
            .build();
    // The Core App's messages, made once: the run measures PostOffice, not the core building its
    // orders.
    CoreOrder[] orders = new CoreOrder[Math.min(messages, Workload.DISTINCT)];
    for (int i = 0; i < orders.length; i++) {
      orders[i] = coreOrder(codec, i);
    }
    InMemoryTransport transport =
        InMemoryTransport.builder()
            .capacityPerDestination(
                Math.max(InMemoryTransport.DEFAULT_CAPACITY_PER_DESTINATION, messages + 1))
            .build();
    CoreAppSender sender = CoreAppSender.create(transport, codec);
    List<Pipeline> pipelines = new ArrayList<>();
    try (Stats.HeapPeak heap = new Stats.HeapPeak()) {
      for (int n = 0; n < stores.size(); n++) {
        PipelineListener listener = o.pipelineListener();
        Pipeline pipeline =
            PostOffice.builder()
                .nodeId("bench-node-" + n)
                .store(clock.watch(stores.get(n)))
                .transport(transport)
                .codec(codec)
                .listener(listener)
                .route(route)
                .build();
        Options.bindMeters(listener, pipeline);
        pipelines.add(pipeline);
      }
      pipelines.forEach(Pipeline::start);
      long cpuBefore = Stats.processCpuNanos();
      long gcBefore = Stats.gcMillis();
      long started = System.nanoTime();
      AtomicLong sent = new AtomicLong();
      long[] sendNanos = new long[messages];
      List<Thread> producers = new ArrayList<>();
      // With a rate, message i is not sent before started + i * nanosPerMessage: the latency at a
      // rate below the maximum is the pipeline's, not the time a message waited behind a backlog.
      long nanosPerMessage = o.rate() > 0 ? 1_000_000_000L / o.rate() : 0;
      for (int p = 0; p < o.producers(); p++) {
        int first = p;
        Thread t =
            new Thread(
                () -> {
                  for (int i = first; i < messages; i += o.producers()) {
                    long wait;
                    while (nanosPerMessage > 0
                        && (wait = started + i * nanosPerMessage - System.nanoTime()) > 0) {
                      LockSupport.parkNanos(wait);
                    }
                    while (o.window() > 0 && sent.get() - clock.dispatched() >= o.window()) {
                      LockSupport.parkNanos(100_000);
                    }
                    sent.incrementAndGet();
                    String id = routeName + "-" + i;
                    // One message in DispatchClock.SAMPLE_MASK + 1 carries a trace id of ours, so
                    // that it can be timed.
                    Map<String, String> headers =
                        (i & DispatchClock.SAMPLE_MASK) == 0
                            ? Map.of(Transport.HEADER_TRACE_ID, id)
                            : Map.of();
                    if (!headers.isEmpty()) {
                      clock.sent(TraceId.of(id), System.nanoTime());
                    }
                    long at = System.nanoTime();
                    sender.send(QUEUE, id, orders[i % orders.length], headers).join();
                    sendNanos[i] = System.nanoTime() - at;
                  }
                },
                "core-sender-" + p);
        producers.add(t);
        t.start();
      }
      long deadline = started + Duration.ofMinutes(10).toNanos();
      while (clock.dispatched() < messages) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "run did not finish in 10 minutes: "
                  + clock.dispatched()
                  + " of "
                  + messages
                  + " dispatched, "
                  + partner.requests()
                  + " requests at the partner");
        }
        LockSupport.parkNanos(200_000);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpu = (Stats.processCpuNanos() - cpuBefore) / 1000.0 / messages;
      long gcMillisDuringRun = Stats.gcMillis() - gcBefore;
      for (Thread t : producers) {
        t.join();
      }
      long[] latencies = clock.latenciesMicros();
      System.gc(); // after the clock stopped: what the pipeline and its store hold, without garbage
      long live = Stats.heapUsedBytes() / (1024 * 1024);
      return new RunResult(
          messages,
          seconds,
          Stats.percentile(latencies, 50),
          Stats.percentile(latencies, 99),
          heap.peakMegabytes(),
          cpu,
          gcMillisDuringRun,
          live,
          0,
          -1,
          -1,
          RunResult.Latency.ofNanos(sendNanos));
    } finally {
      pipelines.forEach(Pipeline::close);
      transport.close();
    }
  }
}
