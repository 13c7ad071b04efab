package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.DispatchResult;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.reliability.Flows.OrderPlaced;
import dev.postoffice.reliability.Flows.PartnerOrder;
import dev.postoffice.reliability.Flows.ShipOrder;
import dev.postoffice.spi.StatusCount;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Long faults, poison text: NUL bytes, unpaired surrogates and 10 MB strings reach PostgreSQL
 * through every text a store writes from outside (a partner's answer excerpt, exception messages
 * from a translator and a dispatcher, dedup keys, a Core App's message id). PostgreSQL refuses NUL
 * in text: before the fix, the batch carrying one was never committed, claimed again after every
 * lease and worked on again for ever, repeating its partner calls. Now every entry ends terminal
 * and no partner call or Core App effect repeats.
 */
@DisplayName("Long faults: poison text on PostgreSQL")
class LongFaultPoisonTextIT {
  private static final int MESSAGES =
      Mode.pick("postoffice.reliability.longfaults.text.messages", 200, 2000);
  private static final String POISON = "\0 and " + (char) 0xD800 + " ";
  private static final String HUGE = "z".repeat(10 * 1024 * 1024);

  @RegisterExtension
  static final SuiteFixture suite = SuiteFixture.of("lftext", "long-faults-text", 8);

  @Test
  @DisplayName("every entry ends terminal, no partner call and no Core App effect repeats")
  void poisonTextEndsTerminal() {
    JdbcStatusStore store = suite.store();
    store.migrate();
    InMemoryTransport transport = InMemoryTransport.create();
    Map<String, AtomicInteger> partnerCalls = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> coreEffects = new ConcurrentHashMap<>();
    // A lease long enough for megabyte strings on a busy machine: before the fix, each expiry of a
    // poisoned
    // batch's lease meant another round of its partner calls.
    Duration lease = Duration.ofSeconds(10);
    RouteSettings settings =
        Flows.settings(lease)
            .retry(
                RetrySettings.ofDefaults()
                    .withMaxAttempts(4)
                    .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)))
            .build();

    Route orders =
        Route.upstream("lf-text-orders")
            .normalize(
                PartnerOrder.class, raw -> Flows.CODEC.decode(raw.payload(), PartnerOrder.class))
            .translate(
                OrderPlaced.class,
                order -> {
                  int n = Integer.parseInt(order.orderId().substring(2));
                  if (n % 7 == 0) {
                    throw new RejectedInputException("partner sent" + POISON + HUGE);
                  }
                  if (n % 11 == 0) {
                    throw new IllegalStateException("lookup failed:" + POISON + HUGE);
                  }
                  return List.of(new OrderPlaced(order.orderId(), order.quantity()));
                })
            .publishTo("lf-text.core.orders")
            .settings(settings)
            .build();
    Route shipments =
        Flows.shipments(
            "lf-text-shipments",
            "lf-text.core.shipments",
            URI.create("http://partner.invalid/"),
            settings,
            (request, context) -> {
              int n =
                  partnerCalls
                      .computeIfAbsent(context.idempotencyKey(), k -> new AtomicInteger())
                      .incrementAndGet();
              String body =
                  new String(request.body().bytes(), java.nio.charset.StandardCharsets.UTF_8);
              if (body.contains(
                  "REF-s-5")) { // shipments s-5, s-50..59, ...: a transient failure, then a NUL
                // answer
                if (n == 1) {
                  throw new IllegalStateException("partner reset:" + POISON + HUGE);
                }
              }
              return new DispatchResult(201, "{\"accepted\":\"" + POISON + "\"}" + HUGE);
            });
    Pipeline pipeline =
        PostOffice.builder()
            .nodeId("lf-text")
            .store(store)
            .transport(transport)
            .route(orders)
            .route(shipments)
            .build()
            .start();
    CoreAppReceiver<OrderPlaced> receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderPlaced.class)
            .from("lf-text.core.orders")
            .handler(
                (order, ctx) ->
                    coreEffects
                        .computeIfAbsent(ctx.messageId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .build()
            .start();
    CoreAppSender sender = CoreAppSender.create(transport, Flows.CODEC);
    long started = System.nanoTime();
    try {
      for (int i = 1; i <= MESSAGES; i++) {
        String dedupKey = i % 10 == 0 ? "order-" + i + POISON : null;
        pipeline
            .intake("lf-text-orders")
            .submit(RawMessage.json(Flows.orderJson("o-" + i, 1), dedupKey));
        sender
            .send(
                "lf-text.core.shipments",
                "ship-" + i + (i % 13 == 0 ? POISON : ""),
                new ShipOrder("s-" + i, "1 Main St" + POISON))
            .join();
      }

      Set<Status> open = Set.of(Status.JUST_IN, Status.RETRYING, Status.QUEUED);
      RouteId[] routes = {RouteId.of("lf-text-orders"), RouteId.of("lf-text-shipments")};
      Duration recovered =
          Await.until(
              Duration.ofSeconds(120),
              "every entry terminal",
              () -> {
                List<StatusCount> stats = pipeline.operations().stats();
                long rootsOrders =
                    stats.stream()
                        .filter(
                            c ->
                                c.route().equals(routes[0])
                                    && c.layer() == dev.postoffice.model.Layer.L1)
                        .mapToLong(StatusCount::count)
                        .sum();
                long rootsShipments =
                    stats.stream()
                        .filter(
                            c ->
                                c.route().equals(routes[1])
                                    && c.layer() == dev.postoffice.model.Layer.L4)
                        .mapToLong(StatusCount::count)
                        .sum();
                return rootsOrders == MESSAGES
                    && rootsShipments == MESSAGES
                    && stats.stream().noneMatch(c -> open.contains(c.status()) && c.count() > 0);
              },
              () -> pipeline.operations().stats().toString());

      long expectedCore =
          java.util.stream.IntStream.rangeClosed(1, MESSAGES)
              .filter(n -> n % 7 != 0 && n % 11 != 0)
              .count();
      long duplicateCore =
          coreEffects.values().stream().mapToInt(AtomicInteger::get).filter(n -> n > 1).count();
      long shipmentsWith5 =
          java.util.stream.IntStream.rangeClosed(1, MESSAGES)
              .filter(n -> Integer.toString(n).startsWith("5"))
              .count();
      long duplicatePartner =
          partnerCalls.values().stream().mapToInt(AtomicInteger::get).sum()
              - partnerCalls.size()
              - shipmentsWith5; // one retry each is expected for the "5" shipments
      Figures.record(
          "long-faults/poison-text",
          "messages="
              + MESSAGES * 2
              + " fault=NUL+surrogate+10MB text"
              + " lost="
              + (MESSAGES - partnerCalls.size() + expectedCore - coreEffects.size())
              + " duplicateCoreEffects="
              + duplicateCore
              + " duplicatePartnerCalls="
              + duplicatePartner
              + " dlq="
              + transport.queued(transport.deadLetterDestination("lf-text.core.shipments"))
              + " recovered="
              + recovered.toMillis()
              + "ms (all terminal, from first submit "
              + Duration.ofNanos(System.nanoTime() - started).toMillis()
              + "ms)");

      // Cleaned text commits like any other: no entry had to be failed because the store refused
      // it.
      List<dev.postoffice.model.Entry> waiting = new java.util.ArrayList<>();
      waiting.addAll(pipeline.operations().failed("lf-text-orders", 1000));
      waiting.addAll(pipeline.operations().failed("lf-text-shipments", 1000));
      assertThat(waiting)
          .noneSatisfy(e -> assertThat(e.lastError()).startsWith("the store refused"));
      assertThat(waiting).filteredOn(e -> e.status() == Status.REJECTED).hasSize(MESSAGES / 7);
      assertThat(waiting)
          .filteredOn(e -> e.status() == Status.FAILED)
          .hasSize((int) (expectedRejectedOrFailed(MESSAGES) - MESSAGES / 7));
      assertThat(coreEffects).as("orders the Core App handled").hasSize((int) expectedCore);
      assertThat(duplicateCore).as("Core App effects repeated").isZero();
      assertThat(partnerCalls)
          .as(
              "shipments the partner received; waiting for an operator: "
                  + pipeline.operations().failed("lf-text-shipments", 5).stream()
                      .map(e -> e.layer() + " " + e.status() + " " + e.lastError())
                      .toList())
          .hasSize(MESSAGES);
      assertThat(duplicatePartner)
          .as("partner calls repeated beyond the one planned retry")
          .isZero();
    } finally {
      receiver.close();
      pipeline.close();
      transport.close();
    }
  }

  /**
   * Orders the translator refuses: every 7th (rejected) and every 11th that is not a 7th (failed).
   */
  private static long expectedRejectedOrFailed(int messages) {
    return java.util.stream.IntStream.rangeClosed(1, messages)
        .filter(n -> n % 7 == 0 || n % 11 == 0)
        .count();
  }
}
