package dev.postoffice.core.support;

import dev.postoffice.DispatchResult;
import dev.postoffice.PartnerRequest;
import dev.postoffice.Translator;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.core.support.Models.AcmeOrder;
import dev.postoffice.core.support.Models.AcmeShipment;
import dev.postoffice.core.support.Models.LineOrdered;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.model.Payload;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A store, a transport, a core receiver and a partner stand-in, shared by the engine tests. */
public final class Harness implements AutoCloseable {
  public static final String ORDERS = "acme-orders";
  public static final String ORDERS_QUEUE = "core.orders";
  public static final String SHIPMENTS = "shipments-to-acme";
  public static final String SHIPMENTS_QUEUE = "core.shipments";

  public final TestClock clock = TestClock.at("2026-01-01T00:00:00Z");
  public final InMemoryStatusStore store = InMemoryStatusStore.create();
  public final InMemoryTransport transport = InMemoryTransport.create();
  public final JacksonCodec codec = JacksonCodec.create();
  public final InMemoryReceiptLog receipts = InMemoryReceiptLog.create();

  /** What the core handler saw, by message id, with how many times. */
  public final Map<String, AtomicInteger> coreSaw = new ConcurrentHashMap<>();

  /** What the partner stand-in received: idempotency keys in order. */
  public final List<String> partnerSaw = new CopyOnWriteArrayList<>();

  private CoreAppReceiver<LineOrdered> receiver;

  public RouteSettings settings() {
    return RouteSettings.builder().batchSize(50).linger(Duration.ZERO).build();
  }

  public Route ordersRoute(Translator<AcmeOrder, LineOrdered> translator, RouteSettings settings) {
    return Route.upstream(ORDERS)
        .normalize(
            AcmeOrder.class, raw -> Models.validated(codec.decode(raw.payload(), AcmeOrder.class)))
        .translate(LineOrdered.class, translator)
        .publishTo(ORDERS_QUEUE)
        .settings(settings)
        .normalizerVersion("n-2")
        .translatorVersion("t-7")
        .build();
  }

  public static List<LineOrdered> perLine(AcmeOrder order) {
    return order.lines().stream()
        .map(l -> new LineOrdered(order.orderId(), l.sku(), l.quantity()))
        .toList();
  }

  public Route shipmentsRoute(RouteSettings settings) {
    return Route.downstream(SHIPMENTS)
        .consumeFrom(SHIPMENTS_QUEUE, ShipOrder.class)
        .translate(
            AcmeShipment.class,
            ship -> List.of(new AcmeShipment("ACME-" + ship.orderId(), ship.address())))
        .normalize(
            s ->
                new PartnerRequest(
                    "POST",
                    URI.create("https://acme.example/shipments"),
                    Map.of("X-Api-Version", "3"),
                    codec.encode(s)))
        .dispatchWith(
            (request, context) -> {
              partnerSaw.add(context.idempotencyKey());
              return new DispatchResult(201, "{\"accepted\":true}");
            })
        .settings(settings)
        .build();
  }

  public PipelineBuilder pipeline(String nodeId) {
    return PostOffice.builder()
        .nodeId(nodeId)
        .store(store)
        .transport(transport)
        .clock(clock)
        .manualScheduling();
  }

  /** Starts the Core App's receiver, counting what its handler sees. */
  public CoreAppReceiver<LineOrdered> startReceiver() {
    receiver =
        CoreAppReceiver.builder(transport, receipts, LineOrdered.class)
            .from(ORDERS_QUEUE)
            .clock(clock)
            .handler(
                (line, ctx) ->
                    coreSaw
                        .computeIfAbsent(ctx.messageId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .build()
            .start();
    return receiver;
  }

  public static Payload json(String text) {
    return Payload.json(text);
  }

  @Override
  public void close() {
    if (receiver != null) {
      receiver.close();
    }
    transport.close();
    store.close();
  }
}
