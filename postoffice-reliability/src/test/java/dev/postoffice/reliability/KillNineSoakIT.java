package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.StatusCount;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Guarantees 1 and 2 under SIGKILL: several PostOffice node processes on one PostgreSQL schema and
 * one RabbitMQ vhost, a Core App receiver process, and a partner stand-in in this JVM. Partner
 * webhooks go to random live nodes (retried on refusal, as a partner would); the Core App sends
 * shipments; meanwhile a driver kills a random node with SIGKILL at random (seeded) moments and
 * starts a fresh one, and another kills the Core App receiver the same way whenever the handler's
 * count passes one of its seeded random marks (so mid-flow). The receiver uses the transactional
 * handler (its effect written through the {@code JdbcReceiptLog}'s {@code Connection}), so a
 * receiver killed mid-batch still leaves each effect exactly once.
 *
 * <p>Short mode: 1,000 upstream + 1,000 downstream messages, 5 node kills, 3 receiver kills. Long
 * mode ({@code -Dpostoffice.reliability.long=true}): 50,000 + 50,000, 50 node kills, 25 receiver
 * kills. Overrides: {@code -Dpostoffice.reliability.soak.upstream=N}, {@code .downstream=M}, {@code
 * .kills=K}, {@code .receiverKills=R}. {@code -Dpostoffice.reliability.soak.plainHandler=true}
 * gives the receiver a plain handler (effect and receipt in two transactions) instead, to see the
 * duplicates the transactional one prevents (with enough receiver kills the run then fails).
 */
@DisplayName(
    "Kill -9 soak: nodes and the Core App receiver killed with SIGKILL while messages flow both ways")
class KillNineSoakIT {
  private static final int NODES = 3;
  private static final Duration LEASE = Duration.ofMillis(2500);
  private static final int UPSTREAM =
      Mode.pick("postoffice.reliability.soak.upstream", 1000, 50_000);
  private static final int DOWNSTREAM =
      Mode.pick("postoffice.reliability.soak.downstream", 1000, 50_000);
  private static final int KILLS = Mode.pick("postoffice.reliability.soak.kills", 5, 50);
  private static final int RECEIVER_KILLS =
      Mode.pick("postoffice.reliability.soak.receiverKills", 3, 25);
  private static final boolean PLAIN_HANDLER =
      Boolean.getBoolean("postoffice.reliability.soak.plainHandler");
  private static final Duration SETTLE = Duration.ofSeconds(Mode.LONG ? 1800 : 150);

  private static HikariDataSource db;
  private static JdbcStatusStore store;
  private static String tables;
  private static String queues;
  private static Partner partner;
  private static NodeProcesses processes;
  private static RabbitTransport coreTransport;

  @BeforeAll
  static void setUp() throws Exception {
    Services.assumeReachable();
    db = Services.postgres(Services.POSTGRES_PORT, 4, "soak-test");
    tables = Services.tablePrefix("soak");
    queues = Services.queuePrefix("soak");
    store = JdbcStatusStore.builder(db).tablePrefix(tables).build();
    store.migrate();
    JdbcReceiptLog.builder(db).tablePrefix(tables).build().migrate();
    try (Connection c = db.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE "
              + tables
              + "handled (message_id VARCHAR(200) PRIMARY KEY,"
              + " order_id VARCHAR(200) NOT NULL, n INT NOT NULL)");
    }
    partner = Partner.start();
    Path dir = Path.of("target", "reliability", "soak-" + tables);
    Files.createDirectories(dir);
    processes =
        new NodeProcesses(
            dir,
            List.of(
                "tables=" + tables,
                "queues=" + queues,
                "partner=" + partner.uri(),
                "leaseMillis=" + LEASE.toMillis(),
                "plainHandler=" + PLAIN_HANDLER));
    coreTransport =
        RabbitTransport.create(Services.rabbit(queues, Services.RABBIT_PORT, "soak-core").build());
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (processes != null) {
      processes.close();
    }
    if (coreTransport != null) {
      coreTransport.close();
    }
    if (partner != null) {
      partner.close();
    }
    if (db != null) {
      Services.dropTables(db, tables);
      db.close();
      Services.deleteQueues(queues, List.of(Flows.ORDERS_QUEUE, Flows.SHIPMENTS_QUEUE));
    }
  }

  @Test
  @DisplayName(
      "every message reaches a terminal status, the core handler sees each once, the partner gets each"
          + " shipment under one idempotency key, and nothing stays claimed")
  void soak() throws Exception {
    long started = System.nanoTime();
    Random random = new Random(Mode.SEED);
    AtomicInteger generation = new AtomicInteger();
    ReceiverKiller receiverKiller =
        new ReceiverKiller(
            processes.start("receiver", "receiver-0", Duration.ofSeconds(90)),
            RECEIVER_KILLS,
            Mode.SEED + 2);
    AtomicReferenceArray<NodeProcesses.Started> nodes = new AtomicReferenceArray<>(NODES);
    for (int i = 0; i < NODES; i++) {
      nodes.set(
          i,
          processes.start(
              "node", "n" + i + "-g" + generation.getAndIncrement(), Duration.ofSeconds(90)));
    }

    ExecutorService work = Executors.newFixedThreadPool(6);
    Feeder feeder = new Feeder(nodes, UPSTREAM, Mode.SEED);
    List<Future<?>> feeding = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      feeding.add(
          work.submit(
              () -> {
                feeder.run();
                return null;
              }));
    }
    Future<Integer> sending = work.submit(() -> sendShipments(DOWNSTREAM));
    Future<?> killingReceiver =
        work.submit(
            () -> {
              receiverKiller.run();
              return null;
            });

    // The driver: kill a random node at a random moment, start a fresh one in its place.
    int kills = 0;
    while (kills < KILLS) {
      Await.pause(Duration.ofMillis(1500 + random.nextInt(Mode.LONG ? 6000 : 3000)));
      int victim = random.nextInt(NODES);
      NodeProcesses.kill(nodes.get(victim).process());
      kills++;
      nodes.set(
          victim,
          processes.start(
              "node", "n" + victim + "-g" + generation.getAndIncrement(), Duration.ofSeconds(90)));
    }
    for (Future<?> f : feeding) {
      f.get();
    }
    int resentByCore = sending.get();
    killingReceiver.get();
    work.shutdown();

    RouteId orders = RouteId.of("orders");
    RouteId shipments = RouteId.of("shipments");
    Duration settled =
        Await.until(
            SETTLE,
            "every message is Acknowledged or Dispatched and nothing is pending",
            () ->
                count(orders, Layer.L4, Status.ACKNOWLEDGED) == UPSTREAM
                    && count(shipments, Layer.L1, Status.DISPATCHED) == DOWNSTREAM
                    && pending().isEmpty(),
            KillNineSoakIT::stats);
    assertThat(receiverKiller.handledAtKills)
        .as("Core App receiver kills (one per mark)")
        .hasSize(RECEIVER_KILLS);

    // Guarantee 1: every accepted partner message and every core message is there, terminal, not
    // failed.
    List<Entry> received = all(orders, Layer.L1);
    Set<String> accepted =
        received.stream()
            .filter(e -> e.status() != Status.DUPLICATE)
            .map(Entry::dedupKey)
            .collect(Collectors.toCollection(TreeSet::new));
    Set<String> missing = new TreeSet<>(feeder.accepted);
    missing.removeAll(accepted);
    assertThat(missing).as("webhook deliveries answered 2xx but not stored").isEmpty();
    assertThat(accepted).hasSize(UPSTREAM);
    assertThat(count(orders, Layer.L1, Status.PROCESSED)).isEqualTo(UPSTREAM);
    assertThat(count(shipments, Layer.L4, Status.PROCESSED)).isEqualTo(DOWNSTREAM);
    assertThat(
            counts().stream()
                .filter(c -> c.status() == Status.FAILED || c.status() == Status.REJECTED))
        .as("failed or rejected entries")
        .isEmpty();
    assertThat(pending()).as("entries left Just In, Retrying, Queued or under a lease").isEmpty();

    // Guarantee 2: the core handler saw each message once; the partner got each shipment under one
    // key.
    long[] handled = handled();
    assertThat(handled[0]).as("message ids the core handler saw").isEqualTo(UPSTREAM);
    assertThat(handled[1]).as("message ids the core handler saw more than once").isZero();
    assertThat(handled[2]).as("distinct orders the core handler saw").isEqualTo(UPSTREAM);
    assertThat(partner.keysByReference).hasSize(DOWNSTREAM);
    assertThat(partner.referencesWithSeveralKeys())
        .as("shipments sent under more than one key")
        .isEmpty();

    Figures.record(
        "kill-9 soak",
        String.format(
            "nodes=%d upstream=%d downstream=%d kills=%d receiverKills=%d"
                + " handledAtReceiverKills=%s receiverHandler=%s lost=0 coreHandlerDuplicates=%d partnerKeys=%d"
                + " partnerResendsSameKey=%d webhookRetries=%d webhookDuplicateAnswers=%d coreResends=%d"
                + " duplicateRecords=%d settledAfterFeed=%ds total=%ds",
            NODES,
            UPSTREAM,
            DOWNSTREAM,
            kills,
            receiverKiller.handledAtKills.size(),
            receiverKiller.handledAtKills.toString().replace(" ", ""),
            PLAIN_HANDLER ? "plain" : "transactional",
            handled[1],
            partner.keys.size(),
            partner.resends(),
            feeder.retries.get(),
            feeder.duplicates.get(),
            resentByCore,
            countStatus(Status.DUPLICATE),
            settled.toSeconds(),
            Duration.ofNanos(System.nanoTime() - started).toSeconds()));
  }

  /** Sends the Core App's shipments, resending (same id) any whose broker confirmation failed. */
  private static int sendShipments(int total) {
    CoreAppSender sender = CoreAppSender.create(coreTransport);
    int resent = 0;
    for (int from = 0; from < total; from += 50) {
      List<Integer> batch = new ArrayList<>();
      for (int i = from; i < Math.min(total, from + 50); i++) {
        batch.add(i);
      }
      while (!batch.isEmpty()) {
        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i : batch) {
          sent.add(
              sender.send(
                  Flows.SHIPMENTS_QUEUE,
                  "ship-" + i,
                  new Flows.ShipOrder("o-" + i, i + " Main St")));
        }
        List<Integer> again = new ArrayList<>();
        for (int k = 0; k < batch.size(); k++) {
          try {
            sent.get(k).join();
          } catch (RuntimeException e) {
            again.add(batch.get(k));
          }
        }
        resent += again.size();
        batch = again;
      }
      Await.pause(Duration.ofMillis(Mode.LONG ? 20 : 60));
    }
    return resent;
  }

  /**
   * Kills the Core App receiver with SIGKILL and starts a fresh one, each time the core handler's
   * count of message ids passes the next of {@code kills} seeded random marks between 10 % and 90 %
   * of the upstream messages. A mark is acted on only once the current receiver has counted
   * something itself, so every kill lands while a receiver is handling messages (mostly mid-batch:
   * between a plain handler's effect and the receipt mark, or inside the transactional handler's
   * transaction).
   */
  static final class ReceiverKiller {
    /** The handler's count of message ids at each kill, in order. */
    final List<Long> handledAtKills = new ArrayList<>();

    private final long[] marks;
    private NodeProcesses.Started receiver;

    ReceiverKiller(NodeProcesses.Started receiver, int kills, long seed) {
      this.receiver = receiver;
      Random random = new Random(seed);
      marks = new long[kills];
      for (int i = 0; i < kills; i++) {
        marks[i] = UPSTREAM / 10 + random.nextInt(Math.max(1, UPSTREAM * 8 / 10));
      }
      Arrays.sort(marks);
    }

    void run() throws Exception {
      long atStart = handled()[0];
      for (int k = 0; k < marks.length; k++) {
        long handled = handled()[0];
        // Given up only when the count stops moving (the settle check then reports it), not on a
        // fixed
        // deadline: a slow flow still gets all its kills.
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (handled < marks[k] || handled <= atStart) {
          if (System.nanoTime() > deadline) {
            return;
          }
          Await.pause(Duration.ofMillis(10));
          long now = handled()[0];
          if (now > handled) {
            deadline = System.nanoTime() + SETTLE.toNanos();
          }
          handled = now;
        }
        NodeProcesses.kill(receiver.process());
        handledAtKills.add(handled()[0]);
        receiver = processes.start("receiver", "receiver-" + (k + 1), Duration.ofSeconds(90));
        atStart = handled()[0];
      }
    }
  }

  /** A partner posting webhooks to random live nodes, retrying refusals and dead nodes. */
  static final class Feeder {
    final Set<String> accepted = java.util.concurrent.ConcurrentHashMap.newKeySet();
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicReferenceArray<NodeProcesses.Started> nodes;
    private final int total;
    private final AtomicInteger next = new AtomicInteger();
    private final Random random;
    private final HttpClient http =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Feeder(AtomicReferenceArray<NodeProcesses.Started> nodes, int total, long seed) {
      this.nodes = nodes;
      this.total = total;
      this.random = new Random(seed + 1);
    }

    void run() throws InterruptedException {
      for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
        String delivery = "d-" + i;
        while (!post(delivery, Flows.orderJson("o-" + i, 1 + i % 5))) {
          retries.incrementAndGet();
          Await.pause(Duration.ofMillis(100));
        }
        accepted.add(delivery);
      }
    }

    private boolean post(String delivery, String body) throws InterruptedException {
      int port;
      synchronized (random) {
        port = nodes.get(random.nextInt(nodes.length())).port();
      }
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/orders"))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .header("Delivery-Id", delivery)
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      try {
        int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        if (status == 200) {
          duplicates.incrementAndGet();
        }
        return status == 200 || status == 202;
      } catch (java.io.IOException e) {
        return false;
      }
    }
  }

  private static List<StatusCount> counts() {
    return store.countByStatus();
  }

  private static long count(RouteId route, Layer layer, Status status) {
    return counts().stream()
        .filter(c -> c.route().equals(route) && c.layer() == layer && c.status() == status)
        .mapToLong(StatusCount::count)
        .sum();
  }

  private static long countStatus(Status status) {
    return counts().stream().filter(c -> c.status() == status).mapToLong(StatusCount::count).sum();
  }

  private static String stats() {
    return counts().stream()
        .map(c -> c.route().value() + "/" + c.layer() + "/" + c.status() + "=" + c.count())
        .collect(Collectors.joining(", "));
  }

  /** Entries not in a terminal status (claimable, or waiting for the Core App): none may remain. */
  private static List<Entry> pending() {
    List<Entry> out = new ArrayList<>();
    for (String route : List.of("orders", "shipments")) {
      out.addAll(
          store.query(
              new EntryQuery(
                  RouteId.of(route),
                  null,
                  EnumSet.of(Status.JUST_IN, Status.RETRYING, Status.QUEUED),
                  null,
                  100,
                  false)));
    }
    return out;
  }

  private static List<Entry> all(RouteId route, Layer layer) {
    return store.query(new EntryQuery(route, layer, Set.of(), null, UPSTREAM * 3 + 1000, false));
  }

  /**
   * @return message ids handled, ids handled more than once, distinct orders
   */
  private static long[] handled() throws Exception {
    try (Connection c = db.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*), count(*) FILTER (WHERE n > 1), count(DISTINCT order_id)"
                    + " FROM "
                    + tables
                    + "handled")) {
      rs.next();
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
    }
  }
}
