package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.DispatchResult;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.PartnerRequest;
import dev.postoffice.RawMessage;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.AcmeOrder;
import dev.postoffice.core.support.Models.AcmeShipment;
import dev.postoffice.core.support.Models.LineOrdered;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The engine on its own worker threads, as hosts run it; waits are deadlines on observable state,
 * not sleeps.
 */
@DisplayName("A pipeline running its own threads")
class ThreadedPipelineTest {
  private final Harness h = new Harness();
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void tearDown() {
    release.countDown();
    h.close();
  }

  private Route route(
      String name, String queue, dev.postoffice.Translator<AcmeOrder, LineOrdered> translator) {
    return Route.upstream(name)
        .normalize(
            AcmeOrder.class,
            raw -> Models.validated(h.codec.decode(raw.payload(), AcmeOrder.class)))
        .translate(LineOrdered.class, translator)
        .publishTo(queue)
        .settings(RouteSettings.builder().pollInterval(Duration.ofMillis(20)).build())
        .build();
  }

  private static void await(String what, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  private long count(Pipeline p, String route, Layer layer, Status status) {
    return p.operations().stats().stream()
        .filter(
            c -> c.route().equals(RouteId.of(route)) && c.layer() == layer && c.status() == status)
        .mapToLong(StatusCount::count)
        .sum();
  }

  @Test
  @DisplayName("carries thousands of messages to Acknowledged, rejecting the malformed ones")
  void thousands() throws Exception {
    Pipeline p =
        PostOffice.builder()
            .store(h.store)
            .transport(h.transport)
            .route(route(Harness.ORDERS, Harness.ORDERS_QUEUE, Harness::perLine))
            .build()
            .start();
    h.startReceiver();
    for (int i = 0; i < 2000; i++) {
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null));
      if (i % 500 == 0) {
        p.intake(Harness.ORDERS).submit(RawMessage.json("{broken", null));
      }
    }
    await(
        "2000 acknowledged", () -> count(p, Harness.ORDERS, Layer.L4, Status.ACKNOWLEDGED) == 2000);
    assertThat(count(p, Harness.ORDERS, Layer.L1, Status.REJECTED)).isEqualTo(4);
    assertThat(h.coreSaw).hasSize(2000);
    assertThat(p.stop(Duration.ofSeconds(10))).isTrue();
  }

  /**
   * The harness's store with every applied commit recorded; a commit that stores finished outputs
   * throws while {@code failures} is above zero (counting down), as a database that drops the
   * connection would.
   */
  private StatusStore recording(List<List<Completion>> commits, AtomicInteger failures) {
    return (StatusStore)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {StatusStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("commit")) {
                @SuppressWarnings("unchecked")
                List<Completion> completions = (List<Completion>) args[0];
                boolean fused =
                    completions.stream()
                        .flatMap(c -> c.outputs().stream())
                        .anyMatch(o -> o.finishedAs() != null);
                if (fused && failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                  throw new StoreUnavailableException(
                      "injected: connection lost during the commit", null);
                }
                commits.add(completions);
              }
              try {
                return method.invoke(h.store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private Route fastRoute(String name, String queue) {
    return Route.upstream(name)
        .normalize(
            AcmeOrder.class,
            raw -> Models.validated(h.codec.decode(raw.payload(), AcmeOrder.class)))
        .translate(LineOrdered.class, Harness::perLine)
        .publishTo(queue)
        .settings(
            RouteSettings.builder()
                .pollInterval(Duration.ofMillis(20))
                .leaseDuration(Duration.ofSeconds(1))
                .confirmTimeout(Duration.ofMillis(500))
                .build())
        .build();
  }

  @Test
  @DisplayName(
      "a worker carrying a batch through the transform stages commits once, the middle layers stored"
          + " already Processed")
  void transformStagesCommitOnce() {
    List<List<Completion>> commits = new CopyOnWriteArrayList<>();
    Pipeline p =
        PostOffice.builder()
            .store(recording(commits, new AtomicInteger()))
            .transport(h.transport)
            .route(fastRoute(Harness.ORDERS, Harness.ORDERS_QUEUE))
            .build()
            .start();
    h.startReceiver();
    List<RawMessage> messages = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      messages.add(RawMessage.json(Models.orderJson("o-" + i, 1), null));
    }
    List<IntakeReceipt> receipts = p.intake(Harness.ORDERS).submitAll(messages);
    await("500 acknowledged", () -> count(p, Harness.ORDERS, Layer.L4, Status.ACKNOWLEDGED) == 500);
    // Three layers were stored by one commit, at one instant, with ids in no particular order: the
    // trace still
    // lists them in lineage order (ten traces, so a lucky id order cannot pass this).
    for (IntakeReceipt receipt : receipts.subList(0, 10)) {
      assertThat(p.operations().trace(receipt.entryId()).entries())
          .extracting(t -> t.entry().layer())
          .containsExactly(Layer.L1, Layer.L2, Layer.L3, Layer.L4);
    }

    Set<Layer> committedLayers = new HashSet<>();
    commits.forEach(
        cs ->
            cs.forEach(c -> committedLayers.add(h.store.find(c.entryId()).orElseThrow().layer())));
    assertThat(committedLayers)
        .as("layers whose entries were completed by a commit")
        .containsOnly(Layer.L1, Layer.L4);
    for (Layer middle : List.of(Layer.L2, Layer.L3)) {
      assertThat(count(p, Harness.ORDERS, middle, Status.PROCESSED)).isEqualTo(500);
    }
    Entry l2 = h.store.findBySource(commits.get(0).get(0).entryId()).get(0);
    assertThat(l2.attempts()).isEqualTo(1);
    assertThat(h.store.history(l2.id()))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN, Status.PROCESSED);
    assertThat(h.coreSaw).hasSize(500);
  }

  @Test
  @DisplayName(
      "when the one commit of a fused run fails, nothing of it is stored; the run is done again once"
          + " the leases expire, each message reaching the core once")
  void failedFusedCommitIsRedone() {
    AtomicInteger failures = new AtomicInteger(20);
    Pipeline p =
        PostOffice.builder()
            .store(recording(new CopyOnWriteArrayList<>(), failures))
            .transport(h.transport)
            .route(fastRoute(Harness.ORDERS, Harness.ORDERS_QUEUE))
            .build()
            .start();
    h.startReceiver();
    List<RawMessage> messages = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      messages.add(RawMessage.json(Models.orderJson("o-" + i, 1), null));
    }
    List<EntryId> roots =
        p.intake(Harness.ORDERS).submitAll(messages).stream().map(r -> r.entryId()).toList();
    await("200 acknowledged", () -> count(p, Harness.ORDERS, Layer.L4, Status.ACKNOWLEDGED) == 200);

    assertThat(failures.get()).as("injected failures left").isZero();
    assertThat(h.coreSaw).hasSize(200).allSatisfy((id, n) -> assertThat(n.get()).isEqualTo(1));
    for (EntryId root : roots) {
      assertThat(h.store.findBySource(root)).as("outputs of %s", root).hasSize(1);
    }
    assertThat(roots).anyMatch(id -> h.store.find(id).orElseThrow().attempts() > 1);
  }

  @Test
  @DisplayName("keeps a healthy route flowing while another route hangs and a third always fails")
  void isolation() throws Exception {
    Pipeline p =
        PostOffice.builder()
            .store(h.store)
            .transport(h.transport)
            .route(
                route(
                    "hanging",
                    "core.hanging",
                    order -> {
                      try {
                        release.await();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      return List.of();
                    }))
            .route(
                route(
                    "failing",
                    "core.failing",
                    order -> {
                      throw new IllegalStateException("translator bug");
                    }))
            .route(route(Harness.ORDERS, Harness.ORDERS_QUEUE, Harness::perLine))
            .build()
            .start();
    h.startReceiver();
    for (int i = 0; i < 300; i++) {
      p.intake("hanging").submit(RawMessage.json(Models.orderJson("h-" + i, 1), null));
      p.intake("failing").submit(RawMessage.json(Models.orderJson("f-" + i, 1), null));
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null));
    }
    await(
        "the healthy route is done",
        () -> count(p, Harness.ORDERS, Layer.L4, Status.ACKNOWLEDGED) == 300);
    assertThat(
            count(p, "hanging", Layer.L3, Status.JUST_IN)
                + count(p, "hanging", Layer.L2, Status.PROCESSED))
        .as("the hanging route is still stuck")
        .isZero();
    await("the failing route retries", () -> count(p, "failing", Layer.L2, Status.RETRYING) == 300);
    assertThat(count(p, Harness.ORDERS, Layer.L4, Status.ACKNOWLEDGED)).isEqualTo(300);
    release.countDown();
    p.close();
  }

  @Test
  @DisplayName(
      "a downstream route keeps taking its backlog through the earlier layers while its partner hangs")
  void hangingPartnerHoldsOnlyItsDispatchStage() throws Exception {
    AtomicInteger partnerCalls = new AtomicInteger();
    Route shipments =
        Route.downstream(Harness.SHIPMENTS)
            .consumeFrom(Harness.SHIPMENTS_QUEUE, ShipOrder.class)
            .translate(
                AcmeShipment.class,
                ship -> List.of(new AcmeShipment("ACME-" + ship.orderId(), ship.address())))
            .normalize(
                s ->
                    new PartnerRequest(
                        "POST", URI.create("https://acme.example/s"), Map.of(), h.codec.encode(s)))
            .dispatchWith(
                (request, context) -> {
                  partnerCalls.incrementAndGet();
                  try {
                    release.await(); // the partner never answers while the test runs
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  return new DispatchResult(201, "{}");
                })
            .settings(
                RouteSettings.builder().batchSize(10).pollInterval(Duration.ofMillis(20)).build())
            .build();
    Pipeline p =
        PostOffice.builder().store(h.store).transport(h.transport).route(shipments).build().start();
    CoreAppSender sender = CoreAppSender.create(h.transport);
    for (int i = 0; i < 200; i++) {
      sender
          .send(Harness.SHIPMENTS_QUEUE, "ship-" + i, new ShipOrder("o-" + i, "1 Main St"))
          .join();
    }
    // Every shipment reaches the dispatch layer, though the first call to the partner never
    // returns: the call
    // holds a worker of the dispatch stage, not the worker that carried its batch through the
    // earlier layers.
    await(
        "every shipment has its layer-1 entry",
        () ->
            count(p, Harness.SHIPMENTS, Layer.L1, Status.JUST_IN)
                    + count(p, Harness.SHIPMENTS, Layer.L1, Status.RETRYING)
                == 200);
    assertThat(count(p, Harness.SHIPMENTS, Layer.L4, Status.PROCESSED)).isEqualTo(200);
    assertThat(partnerCalls)
        .as("one dispatch worker (concurrency 1), waiting on its first call")
        .hasValue(1);
    release.countDown();
    await(
        "all dispatched once the partner answers",
        () -> count(p, Harness.SHIPMENTS, Layer.L1, Status.DISPATCHED) == 200);
    p.close();
  }
}
