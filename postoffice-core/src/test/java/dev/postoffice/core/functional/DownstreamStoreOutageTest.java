package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.StatusStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, defect 1: while the store is down or the backlog full, a downstream route pauses its
 * subscription and puts back what it holds without it counting as a delivery, so nothing reaches
 * the dead-letter queue however long the outage lasts; it resumes by itself once the store answers.
 */
@DisplayName("A downstream route whose store is unavailable")
class DownstreamStoreOutageTest {
  private final Harness h = new Harness();

  /** One delivery only: any put-back that counted would dead-letter the message at once. */
  private final InMemoryTransport transport = InMemoryTransport.builder().maxDeliveries(1).build();

  private final AtomicBoolean down = new AtomicBoolean();
  private final AtomicInteger callsWhileDown = new AtomicInteger();
  private Pipeline pipeline;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    transport.close();
    h.close();
  }

  /**
   * The harness's store, refusing every call with StoreUnavailableException while {@link #down}.
   */
  private StatusStore downable() {
    return (StatusStore)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {StatusStore.class},
            (proxy, method, args) -> {
              if (down.get() && !method.getName().equals("close")) {
                callsWhileDown.incrementAndGet();
                throw new StoreUnavailableException(
                    "injected: the database cannot be reached", null);
              }
              try {
                return method.invoke(h.store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private List<Entry> layer(Layer layer) {
    return h.store.query(new EntryQuery(null, layer, Set.of(), null, 1000, false));
  }

  private static void await(String what, Duration within, BooleanSupplier condition) {
    Awaitility.await(what)
        .atMost(within)
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }

  @Test
  @DisplayName(
      "pauses its subscription, dead-letters nothing, and stores and dispatches everything once the"
          + " store is back, resuming by itself")
  void pausesAndResumes() throws Exception {
    transport.declare(Harness.SHIPMENTS_QUEUE);
    pipeline =
        h.pipeline("node-a")
            .store(downable())
            .transport(transport)
            .route(h.shipmentsRoute(h.settings()))
            .build()
            .start();
    CoreAppSender sender = CoreAppSender.create(transport);
    sender
        .send(Harness.SHIPMENTS_QUEUE, "ship-first", new ShipOrder("o-first", "1 Main St"))
        .join();
    await("the first message stored", Duration.ofSeconds(5), () -> layer(Layer.L4).size() == 1);

    down.set(true);
    int n = 20;
    for (int i = 0; i < n; i++) {
      sender
          .send(Harness.SHIPMENTS_QUEUE, "ship-" + i, new ShipOrder("o-" + i, "1 Main St"))
          .join();
    }
    // Paused: every message back in the queue, none held by a handler, none dead-lettered.
    await(
        "all " + n + " messages waiting in the queue, none held",
        Duration.ofSeconds(3),
        () -> transport.queued(Harness.SHIPMENTS_QUEUE) == n);
    String dlq = transport.deadLetterDestination(Harness.SHIPMENTS_QUEUE);
    int callsAtPause = callsWhileDown.get();
    // An outage that lasts: for 1.5 s every message stays waiting (the paused route only probes the
    // store, with
    // growing pauses) and nothing is dead-lettered.
    Awaitility.await("messages waiting while paused")
        .during(Duration.ofMillis(1_500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> transport.queued(Harness.SHIPMENTS_QUEUE) == n && transport.queued(dlq) == 0);
    assertThat(callsWhileDown.get() - callsAtPause)
        .as("store calls while paused for 1.5 s")
        .isLessThan(15);
    assertThat(transport.queued(dlq)).as("dead letters").isZero();

    long back = System.nanoTime();
    down.set(false);
    await(
        "all stored after the store came back",
        Duration.ofSeconds(5),
        () -> layer(Layer.L4).size() == n + 1);
    Duration resumedAfter = Duration.ofNanos(System.nanoTime() - back);
    assertThat(resumedAfter).as("time to resume").isLessThan(Duration.ofSeconds(3));
    await(
        "all dispatched",
        Duration.ofSeconds(10),
        () -> {
          pipeline.runOnce();
          return h.partnerSaw.size() == n + 1;
        });

    assertThat(h.partnerSaw).doesNotHaveDuplicates();
    assertThat(layer(Layer.L4)).allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.PROCESSED));
    assertThat(transport.queued(dlq)).as("dead letters").isZero();
  }

  @Test
  @DisplayName(
      "with a full backlog pauses its subscription until the route drains, dead-lettering nothing")
  void fullBacklogPauses() throws Exception {
    transport.declare(Harness.SHIPMENTS_QUEUE);
    CoreAppSender sender = CoreAppSender.create(transport);
    for (int i = 0; i < 12; i++) {
      sender
          .send(Harness.SHIPMENTS_QUEUE, "ship-" + i, new ShipOrder("o-" + i, "1 Main St"))
          .join();
    }
    pipeline =
        h.pipeline("node-a")
            .store(downable())
            .transport(transport)
            .route(h.shipmentsRoute(h.settings().toBuilder().highWaterMark(5).build()))
            .build()
            .start();
    await(
        "the backlog full and the rest waiting in the queue",
        Duration.ofSeconds(3),
        () -> layer(Layer.L4).size() == 5 && transport.queued(Harness.SHIPMENTS_QUEUE) == 7);
    await(
        "all 12 dispatched",
        Duration.ofSeconds(20),
        () -> {
          pipeline.runOnce();
          return h.partnerSaw.size() == 12;
        });

    assertThat(h.partnerSaw).doesNotHaveDuplicates();
    assertThat(layer(Layer.L4))
        .hasSize(12)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.PROCESSED));
    assertThat(transport.queued(transport.deadLetterDestination(Harness.SHIPMENTS_QUEUE))).isZero();
  }
}
