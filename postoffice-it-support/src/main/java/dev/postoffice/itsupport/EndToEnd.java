package dev.postoffice.itsupport;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.PartnerRequest;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.testkit.RequiredService;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * What the transports' end-to-end tests share: the local PostgreSQL (a pool and a table prefix per
 * test class), the partner and core models, the two routes, a partner stand-in, and waits on
 * observable state.
 */
public final class EndToEnd {
  /** The local PostgreSQL the end-to-end tests use, with batched inserts rewritten. */
  public static final String POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true";

  private static final JacksonCodec CODEC = JacksonCodec.create();

  private EndToEnd() {}

  /** A partner's order (upstream L2 model). */
  public record PartnerOrder(String orderId, int quantity) {}

  /** The core's message for an order (upstream L3/L4 model). */
  public record OrderPlaced(String orderId, int quantity) {}

  /** A core command to ship (downstream L4 model). */
  public record ShipOrder(String orderId, String address) {}

  /** The partner's shipment request (downstream L3 model). */
  public record PartnerShipment(String reference, String deliverTo) {}

  /** Skips (or fails under the CI switch) unless PostgreSQL is reachable. */
  public static void assumePostgres() {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
  }

  /** A small pool on the local PostgreSQL. */
  public static HikariDataSource postgres(int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(POSTGRES_URL);
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(5000);
    return new HikariDataSource(config);
  }

  /**
   * @return a table prefix no other run uses
   */
  public static String tablePrefix() {
    return "e2e" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
  }

  /**
   * Drops every table whose name starts with the prefix (whatever tables the store's migrations
   * made).
   */
  public static void dropTables(DataSource dataSource, String prefix) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT tablename FROM pg_tables"
                  + " WHERE schemaname = current_schema() AND left(tablename, length(?)) = ?")) {
        ps.setString(1, prefix);
        ps.setString(2, prefix);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            tables.add(rs.getString(1));
          }
        }
      }
      try (Statement st = c.createStatement()) {
        for (String table : tables) {
          st.execute("DROP TABLE IF EXISTS " + table + " CASCADE");
        }
      }
    }
  }

  /** A raw partner order. */
  public static String orderJson(String id, int quantity) {
    return "{\"orderId\":\"" + id + "\",\"quantity\":" + quantity + "}";
  }

  /**
   * Settings for tests: small batches, no linger wait, a short poll so the recovery path runs
   * often.
   */
  public static RouteSettings.Builder settings() {
    return RouteSettings.builder()
        .batchSize(100)
        .linger(Duration.ofMillis(2))
        .pollInterval(Duration.ofMillis(20));
  }

  /**
   * Upstream: raw JSON order (L1) → validated partner order (L2) → one OrderPlaced (L3) → published
   * (L4).
   */
  public static Route ordersRoute(String name, String queue, RouteSettings settings) {
    return Route.upstream(name)
        .normalize(
            PartnerOrder.class,
            raw -> {
              PartnerOrder order = CODEC.decode(raw.payload(), PartnerOrder.class);
              if (order.orderId() == null || order.orderId().isBlank()) {
                throw new RejectedInputException("orderId is required, but was " + order.orderId());
              }
              return order;
            })
        .translate(
            OrderPlaced.class, order -> List.of(new OrderPlaced(order.orderId(), order.quantity())))
        .publishTo(queue)
        .settings(settings)
        .build();
  }

  /**
   * Downstream: ShipOrder from the core (L4) → partner shipment (L3) → HTTP-like request (L2) →
   * dispatched.
   */
  public static Route shipmentsRoute(
      String name, String queue, RouteSettings settings, Dispatcher dispatcher) {
    return Route.downstream(name)
        .consumeFrom(queue, ShipOrder.class)
        .translate(
            PartnerShipment.class,
            s -> List.of(new PartnerShipment("ACME-" + s.orderId(), s.address())))
        .normalize(
            s -> PartnerRequest.post(URI.create("https://acme.example/shipments"), CODEC.encode(s)))
        .dispatchWith(dispatcher)
        .settings(settings)
        .build();
  }

  /**
   * A partner stand-in: records each request's idempotency key and the shipment reference it
   * carried.
   */
  public static final class Partner implements Dispatcher {
    private final Map<String, AtomicInteger> keys = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> references = new ConcurrentHashMap<>();

    /**
     * @return how many requests came with each idempotency key (live view)
     */
    public Map<String, AtomicInteger> keys() {
      return keys;
    }

    /**
     * @return how many requests came with each shipment reference (live view)
     */
    public Map<String, AtomicInteger> references() {
      return references;
    }

    @Override
    public DispatchResult dispatch(PartnerRequest request, dev.postoffice.DispatchContext context) {
      keys.computeIfAbsent(context.idempotencyKey(), k -> new AtomicInteger()).incrementAndGet();
      String reference = CODEC.decode(request.body(), PartnerShipment.class).reference();
      references.computeIfAbsent(reference, k -> new AtomicInteger()).incrementAndGet();
      return new DispatchResult(201, "{\"accepted\":true}");
    }
  }

  /**
   * Sends {@code count} shipment orders (message ids {@code ship-0} on) and waits until the
   * transport took them all; then sends the first {@code again} of them a second time with the same
   * ids, one by one, as a core that crashed after sending would.
   *
   * @param sender the Core App's sender
   * @param queue where the shipments go
   * @param count how many to send
   * @param again how many of them to send again
   */
  public static void sendShipments(CoreAppSender sender, String queue, int count, int again) {
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      sent.add(sender.send(queue, "ship-" + i, new ShipOrder("o-" + i, i + " Main St")));
    }
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    for (int i = 0; i < again; i++) {
      sender.send(queue, "ship-" + i, new ShipOrder("o-" + i, i + " Main St")).join();
    }
  }

  /** Counts one route's entries in one layer and status. */
  public static long count(Pipeline pipeline, String route, Layer layer, Status status) {
    RouteId id = RouteId.of(route);
    return pipeline.operations().stats().stream()
        .filter(c -> c.route().equals(id) && c.layer() == layer && c.status() == status)
        .mapToLong(StatusCount::count)
        .sum();
  }

  /**
   * Waits for a condition other threads make true, failing with the last state after the timeout.
   */
  public static void await(
      Duration timeout, String what, BooleanSupplier condition, Supplier<String> state)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting until " + what + "; state: " + state.get());
      }
      synchronized (monitor) {
        TimeUnit.MILLISECONDS.timedWait(monitor, 25);
      }
    }
  }

  /**
   * Times one round of a round-trip benchmark: submits the orders in batches of 100, waits until
   * the core has handled each and every entry is Acknowledged (ten minutes at most), and prints how
   * long intake took.
   *
   * @param pipeline a started pipeline with {@link #ordersRoute} under the route's name
   * @param route the route's name
   * @param messages how many orders to send
   * @param handled how many the core's handler has run so far
   * @return orders per second, from the first submit until the last is Acknowledged
   * @throws InterruptedException if interrupted while waiting
   */
  public static double roundTrip(Pipeline pipeline, String route, int messages, IntSupplier handled)
      throws InterruptedException {
    long start = System.nanoTime();
    List<RawMessage> batch = new ArrayList<>();
    for (int i = 0; i < messages; i++) {
      batch.add(RawMessage.json(orderJson("o-" + i, 1 + i % 5), null));
      if (batch.size() == 100 || i == messages - 1) {
        pipeline.intake(route).submitAll(batch);
        batch.clear();
      }
    }
    long submitted = System.nanoTime();
    // Wait on the handler first (no queries), then on the store (the acknowledgements trail the
    // handler).
    await(
        Duration.ofMinutes(10),
        "the core has handled every message",
        () -> handled.getAsInt() >= messages,
        pipeline.operations()::statsTable);
    await(
        Duration.ofMinutes(10),
        "every entry is Acknowledged",
        () -> count(pipeline, route, Layer.L4, Status.ACKNOWLEDGED) == messages,
        pipeline.operations()::statsTable);
    long done = System.nanoTime();
    System.out.printf(
        "  intake of %,d took %,d ms; handler ran %,d times%n",
        messages, (submitted - start) / 1_000_000, handled.getAsInt());
    return messages / ((done - start) / 1e9);
  }

  /**
   * @return the ids seen more than once, with their counts
   */
  public static Map<String, Integer> repeated(Map<String, AtomicInteger> counts) {
    Map<String, Integer> more = new java.util.TreeMap<>();
    counts.forEach(
        (id, n) -> {
          if (n.get() != 1) {
            more.put(id, n.get());
          }
        });
    return more;
  }
}
