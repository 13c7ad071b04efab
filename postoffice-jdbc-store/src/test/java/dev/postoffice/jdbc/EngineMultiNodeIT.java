package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.jdbc.UpstreamFlow.LineOrdered;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three engines (separate pipelines, each with its own node id, connection pool and store) on one
 * PostgreSQL database and one in-memory broker carry 20,000 upstream messages through all four
 * layers to a Core App receiver that acknowledges them; real worker threads, no manual scheduling.
 * Half the messages come in through the engines' own intakes (their fast path), half are stored by
 * a bare store, so that all three engines compete for them through {@code FOR UPDATE SKIP LOCKED}.
 */
@DisplayName("several engines on one PostgreSQL database")
class EngineMultiNodeIT {
  private static final int MESSAGES = 20_000;
  private static final int NODES = 3;
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private TestDatabase db;
  private final InMemoryTransport transport = InMemoryTransport.create();
  private final List<Pipeline> pipelines = new ArrayList<>();
  private CoreAppReceiver<LineOrdered> receiver;

  /**
   * Entry id to the node whose commit of it applied; each entry id belongs to exactly one stage.
   */
  private final Map<EntryId, String> committedBy = new ConcurrentHashMap<>();

  private final Queue<EntryId> committedTwice = new ConcurrentLinkedQueue<>();

  /** Stage and order id to how many times the normalizer or translator ran on it. */
  private final Map<String, AtomicInteger> worked = new ConcurrentHashMap<>();

  /** Message id to how many times the Core App's handler saw it. */
  private final Map<String, AtomicInteger> coreSaw = new ConcurrentHashMap<>();

  @BeforeEach
  void start() {
    db = TestDatabase.postgres();
    db.migratedStore();
    receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), LineOrdered.class)
            .from(UpstreamFlow.QUEUE)
            .handler(
                (line, ctx) ->
                    coreSaw
                        .computeIfAbsent(ctx.messageId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .build()
            .start();
  }

  @AfterEach
  void close() throws Exception {
    pipelines.forEach(Pipeline::close);
    if (receiver != null) {
      receiver.close();
    }
    transport.close();
    db.close();
  }

  private Pipeline engine(String node, RouteSettings settings, CrashableNode crashable) {
    JdbcStatusStore store =
        JdbcStatusStore.builder(crashable.dataSource(db.anotherPool(4)))
            .tablePrefix(db.prefix)
            .build();
    Pipeline p =
        PostOffice.builder()
            .nodeId(node)
            .store(new RecordingStore(store, node, committedBy, committedTwice))
            .transport(crashable.transport(transport))
            .shutdownTimeout(Duration.ofSeconds(2))
            .route(
                UpstreamFlow.route(
                    settings,
                    order -> countWork("normalize/" + order.orderId()),
                    order -> countWork("translate/" + order.orderId())))
            .build()
            .start();
    pipelines.add(p);
    return p;
  }

  private void countWork(String stageAndOrder) {
    worked.computeIfAbsent(stageAndOrder, k -> new AtomicInteger()).incrementAndGet();
  }

  private static RouteSettings settings(Duration lease) {
    return RouteSettings.builder()
        .batchSize(100)
        .leaseDuration(lease)
        .pollInterval(Duration.ofMillis(20))
        .confirmTimeout(Duration.ofSeconds(1))
        .build();
  }

  /**
   * Submits the messages: page by page, alternately through an engine's intake and a bare store.
   */
  private void submit(List<Pipeline> engines, JdbcStatusStore bare, Runnable afterEachPage) {
    int page = 100;
    for (int i = 0; i < MESSAGES; i += page) {
      List<RawMessage> messages = new ArrayList<>(page);
      for (int j = i; j < i + page; j++) {
        messages.add(RawMessage.json(UpstreamFlow.orderJson("o-" + j, 1, 200), null));
      }
      int turn = i / page;
      if (turn % 2 == 0) {
        engines.get(turn / 2 % engines.size()).intake(UpstreamFlow.ROUTE).submitAll(messages);
      } else {
        bare.intake(
            messages.stream()
                .map(
                    m ->
                        new dev.postoffice.spi.NewEntry(
                            EntryId.random(),
                            RouteId.of(UpstreamFlow.ROUTE),
                            dev.postoffice.model.Direction.UPSTREAM,
                            Layer.L1,
                            m.payload(),
                            m.headers(),
                            null,
                            dev.postoffice.model.TraceId.random(),
                            null,
                            "it@1",
                            null))
                .toList(),
            java.time.Instant.now());
      }
      afterEachPage.run();
    }
  }

  private long count(Layer layer, Status status) {
    return db.store().countByStatus().stream()
        .filter(
            c ->
                c.route().value().equals(UpstreamFlow.ROUTE)
                    && c.layer() == layer
                    && c.status() == status)
        .mapToLong(StatusCount::count)
        .sum();
  }

  private static void await(String what, BooleanSupplier done) {
    Awaitility.await(what)
        .atMost(DEADLINE)
        .pollInterval(Duration.ofMillis(100))
        .until(done::getAsBoolean);
  }

  /** Entry ids per layer, from the database. */
  private Map<Layer, List<String>> idsByLayer() throws SQLException {
    Map<Layer, List<String>> out = new HashMap<>();
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT layer, id FROM " + db.prefix + "entry");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.computeIfAbsent(Layer.of(rs.getInt(1)), l -> new ArrayList<>()).add(rs.getString(2));
      }
    }
    return out;
  }

  /**
   * Counts entries with exactly one history row out of a claimable status; fails if any has more.
   */
  private long singleCompletions() throws SQLException {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                // A completion is a history row leaving a claimable status or, for an output stored
                // finished, the creation record its row holds (born_status, schema version 3).
                "SELECT COUNT(*), MAX(n) FROM (SELECT id, COUNT(*) n FROM ("
                    + "SELECT entry_id AS id FROM "
                    + db.prefix
                    + "history WHERE from_status IN ('JUST_IN', 'RETRYING')"
                    + " UNION ALL SELECT id FROM "
                    + db.prefix
                    + "entry WHERE born_status NOT IN ('JUST_IN', 'DUPLICATE')) c GROUP BY id) h");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      assertThat(rs.getLong(2)).as("most completions of one entry").isEqualTo(1);
      return rs.getLong(1);
    }
  }

  /**
   * The layer 1–3 entries leased to the victim (ones the Core App's acknowledgements cannot
   * finish).
   */
  private List<String> heldEarly() {
    try {
      return leasedBy("victim", " AND layer < 4");
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private List<String> leasedBy(String node, String andWhere) throws SQLException {
    List<String> ids = new ArrayList<>();
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM "
                    + db.prefix
                    + "entry WHERE lease_owner = ?"
                    + " AND status IN ('JUST_IN', 'RETRYING')"
                    + andWhere)) {
      ps.setString(1, node);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    }
    return ids;
  }

  /**
   * Everything reached Acknowledged, each entry was committed once per stage, the core saw each
   * message once.
   */
  private void assertAllDoneOnce() throws SQLException {
    Map<Layer, List<String>> ids = idsByLayer();
    for (Layer layer : Layer.values()) {
      assertThat(ids.get(layer)).as(layer + " entries (no duplicate outputs)").hasSize(MESSAGES);
    }
    for (Layer layer : List.of(Layer.L1, Layer.L2, Layer.L3)) {
      assertThat(count(layer, Status.PROCESSED)).as(layer + " processed").isEqualTo(MESSAGES);
    }
    assertThat(count(Layer.L4, Status.ACKNOWLEDGED)).as("L4 acknowledged").isEqualTo(MESSAGES);
    assertThat(committedTwice).as("entries whose stage committed twice").isEmpty();
    // The database's own record: every entry left its claimable status exactly once (a node's
    // commit can
    // apply while the reply is lost with the node, so the recording above may miss the victim's
    // last one).
    assertThat(singleCompletions())
        .as("entries whose history shows one completion")
        .isEqualTo(4L * MESSAGES);
    assertThat(coreSaw).hasSize(MESSAGES);
    assertThat(coreSaw.values())
        .as("the core's handler saw each message once")
        .allMatch(n -> n.get() == 1);
  }

  @Test
  @DisplayName("each entry is worked by exactly one node per stage; none lost, none duplicated")
  void threeEngines() throws Exception {
    List<Pipeline> engines = new ArrayList<>();
    for (int n = 0; n < NODES; n++) {
      engines.add(engine("node-" + n, settings(Duration.ofSeconds(30)), new CrashableNode()));
    }
    submit(engines, db.store(), () -> {});
    await("all acknowledged", () -> count(Layer.L4, Status.ACKNOWLEDGED) == MESSAGES);

    assertAllDoneOnce();
    assertThat(worked).as("normalized and translated entries").hasSize(2 * MESSAGES);
    assertThat(worked.values())
        .as("user code ran once per entry and stage")
        .allMatch(n -> n.get() == 1);
    assertThat(Map.copyOf(committedBy).values())
        .as("every node did some of the work")
        .contains("node-0", "node-1", "node-2");
  }

  @Test
  @DisplayName(
      "an engine that dies mid-run: the others finish its leased entries once the leases expire")
  void oneEngineDies() throws Exception {
    CrashableNode victim = new CrashableNode();
    List<Pipeline> engines = new ArrayList<>();
    engines.add(engine("node-0", settings(Duration.ofSeconds(2)), new CrashableNode()));
    engines.add(engine("node-1", settings(Duration.ofSeconds(2)), new CrashableNode()));
    // The victim's leases last longer than the others', so the entries it dies holding are still
    // its own when
    // they are read below, however slowly this machine gets there (with 2 s they expired first on a
    // busy CI
    // machine, and the others had taken them over already).
    engines.add(engine("victim", settings(Duration.ofSeconds(6)), victim));
    List<String> held = new ArrayList<>();
    AtomicInteger pages = new AtomicInteger();
    submit(
        engines,
        db.store(),
        () -> {
          // From a third of the way in, the victim's process "dies" as its first stage (normalize +
          // translate) is
          // about to commit a batch it claimed: it dies holding those layer-1 leases, which only
          // the others can
          // finish. (Killing it from this thread at a moment it held leases sometimes landed just
          // after its commit;
          // dying before a publish commit leaves layer-4 entries the Core App's acknowledgements
          // finish instead.)
          if (pages.incrementAndGet() != MESSAGES / 100 / 3) {
            return;
          }
          victim.crashBefore(
              sql ->
                  sql.contains("e.lease_owner = v.owner")
                      && Thread.currentThread().getName().contains("-normalize-")
                      && !heldEarly().isEmpty());
          Awaitility.await("the victim dies before a commit")
              .atMost(Duration.ofSeconds(20))
              .pollInterval(Duration.ofMillis(10))
              .until(victim::crashed);
          engines.remove(2); // its intake is gone with it
          // A statement the victim sent just before it died (a claim) may still commit on the
          // server: wait until
          // the set of entries leased to it stops changing.
          AtomicReference<Object> last = new AtomicReference<>();
          Awaitility.await("the victim's last statements have landed")
              .atMost(Duration.ofSeconds(10))
              .pollInterval(Duration.ofMillis(100))
              .during(Duration.ofMillis(500))
              .until(
                  () -> {
                    Object current = heldEarly();
                    return current.equals(last.getAndSet(current));
                  });
          held.addAll(heldEarly());
        });
    assertThat(held).as("entries the victim held when it died").isNotEmpty();
    await("all acknowledged", () -> count(Layer.L4, Status.ACKNOWLEDGED) == MESSAGES);

    assertAllDoneOnce();
    assertThat(held)
        .as("the victim's leased entries were finished by the others")
        .allMatch(id -> List.of("node-0", "node-1").contains(committedBy.get(EntryId.of(id))));
  }
}
