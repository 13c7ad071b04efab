package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.jdbc.internal.Migrator;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What the JDBC store promises beyond the StatusStore contract: migrations, SKIP LOCKED, dedup
 * across nodes, retention and outages. Run against each database by a small subclass.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JdbcStoreBehaviour {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final Duration LEASE = Duration.ofSeconds(30);

  TestDatabase db;
  JdbcStatusStore store;
  RouteId route;

  /**
   * @return the database to test on, for the whole class
   */
  abstract TestDatabase openDatabase();

  @BeforeAll
  void open() {
    db = openDatabase();
    store = db.migratedStore();
  }

  @AfterAll
  void drop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void newRoute() {
    route = RouteId.of("behaviour-" + UUID.randomUUID().toString().substring(0, 8));
  }

  NewEntry root(String dedupKey) {
    return root(dedupKey, Map.of(), null);
  }

  NewEntry root(String dedupKey, Map<String, String> headers, Lease lease) {
    return new NewEntry(
        EntryId.random(),
        route,
        Direction.UPSTREAM,
        Layer.L1,
        Payload.json("{\"a\":1}"),
        headers,
        null,
        TraceId.random(),
        dedupKey,
        "test@1",
        lease);
  }

  List<Entry> claim(JdbcStatusStore s, int limit, Instant now) {
    return s.claim(new ClaimRequest(route, Layer.L1, limit, "node-a", LEASE, now));
  }

  static Completion processed(Entry e, NewEntry... outputs) {
    return new Completion(
        e.id(),
        e.lease().owner(),
        e.attempts(),
        Status.PROCESSED,
        null,
        null,
        null,
        List.of(outputs));
  }

  static NewEntry outputOf(Entry e) {
    return new NewEntry(
        EntryId.derive(e.id(), e.generation(), 0),
        e.route(),
        e.direction(),
        Layer.L2,
        Payload.json("{\"b\":2}"),
        Map.of(),
        e.id(),
        e.traceId(),
        null,
        "test@1",
        null);
  }

  @Nested
  @DisplayName("migrations")
  class Migrations {
    @Test
    @DisplayName("apply once, then find nothing to do, and record the version")
    void idempotent() {
      assertThat(store.migrate()).isZero();
      assertThat(store.schemaVersion()).isEqualTo(Migrator.FILES.size());
    }

    @Test
    @DisplayName("upgrade a version-1 schema in place, keeping its entries")
    void upgradeFromVersionOne() throws Exception {
      String prefix = "u" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
      try {
        JdbcStatusStore old = schemaAtVersion(prefix, 1);
        assertThat(old.schemaVersion()).isEqualTo(1);
        // Written by version 1's code: the columns version 3 adds are not there yet.
        EntryId kept = EntryId.random();
        try (Connection c = db.dataSource.getConnection()) {
          insertVersionTwoEntry(
              c,
              prefix,
              kept,
              null,
              TraceId.random(),
              Layer.L1,
              "JUST_IN",
              T0.toEpochMilli() * 1_000_000L);
        }
        assertThatThrownBy(() -> old.intake(List.of(root(null)), T0))
            .as("this version's writes on a schema not migrated yet")
            .isInstanceOf(StoreUnavailableException.class)
            .hasMessageContaining("older than this version")
            .hasMessageContaining("migrate()");

        assertThat(old.migrate()).as("versions applied").isEqualTo(Migrator.FILES.size() - 1);
        assertThat(old.schemaVersion()).isEqualTo(Migrator.FILES.size());
        assertThat(old.find(kept)).isPresent();
        assertThat(claim(old, 10, T0)).extracting(Entry::id).containsExactly(kept);
      } finally {
        new TestDatabase(db.dialect, db.dataSource, prefix).dropTables();
      }
    }

    @Test
    @DisplayName(
        "upgrade a version-2 schema to version 3: entries written before keep their history rows,"
            + " entries written after read the same history from their own row")
    void upgradeFromVersionTwo() throws Exception {
      String prefix = "v" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
      try {
        try (Connection c = db.dataSource.getConnection();
            var st = c.createStatement()) {
          for (String file : List.of("V1__entries.sql", "V2__finished_created_idx.sql")) {
            for (String sql :
                schemaFile(file, prefix).replaceAll("(?m)^\\s*--.*$", "").split(";\\s*\\n")) {
              if (!sql.isBlank()) {
                st.execute(sql);
              }
            }
          }
          st.execute(
              "CREATE TABLE "
                  + prefix
                  + "schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                  + " description VARCHAR(200) NOT NULL, installed_at BIGINT NOT NULL)");
          st.execute(
              "INSERT INTO "
                  + prefix
                  + "schema_version VALUES (1, 'V1__entries.sql', 0), (2, 'V2__finished_created_idx.sql', 0)");
        }
        // What version 2 wrote for a root and a finished output: rows in the entry table without
        // the
        // creation columns, and every record, creation included, as a history row.
        EntryId root = EntryId.random();
        EntryId output = EntryId.derive(root, 0, 0);
        TraceId trace = TraceId.random();
        long at = T0.toEpochMilli() * 1_000_000L;
        try (Connection c = db.dataSource.getConnection()) {
          insertVersionTwoEntry(c, prefix, root, null, trace, Layer.L1, "PROCESSED", at);
          insertVersionTwoEntry(c, prefix, output, root, trace, Layer.L2, "PROCESSED", at);
          insertVersionTwoHistory(c, prefix, root, null, "JUST_IN", at, null);
          insertVersionTwoHistory(c, prefix, root, "JUST_IN", "PROCESSED", at, null);
          insertVersionTwoHistory(c, prefix, output, null, "JUST_IN", at, null);
          insertVersionTwoHistory(c, prefix, output, "JUST_IN", "PROCESSED", at, "normalized");
        }
        JdbcStatusStore upgraded =
            JdbcStatusStore.builder(db.dataSource).dialect(db.dialect).tablePrefix(prefix).build();
        assertThat(upgraded.migrate()).as("versions applied").isEqualTo(Migrator.FILES.size() - 2);

        assertThat(upgraded.history(root))
            .extracting(HistoryRecord::from, HistoryRecord::to, HistoryRecord::detail)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, Status.JUST_IN, null),
                org.assertj.core.groups.Tuple.tuple(Status.JUST_IN, Status.PROCESSED, null));
        assertThat(upgraded.history(output))
            .extracting(HistoryRecord::from, HistoryRecord::to, HistoryRecord::detail)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, Status.JUST_IN, null),
                org.assertj.core.groups.Tuple.tuple(
                    Status.JUST_IN, Status.PROCESSED, "normalized"));

        // The same shapes written after the upgrade: no creation row in the history table.
        NewEntry fresh = root(null);
        upgraded.intake(List.of(fresh), T0);
        Entry claimed =
            upgraded.claim(new ClaimRequest(route, Layer.L1, 1, "node-a", LEASE, T0)).get(0);
        NewEntry finished = outputOf(claimed).finished(Status.PROCESSED, "normalized");
        upgraded.commit(List.of(processed(claimed, finished)), T0.plusMillis(1));
        assertThat(upgraded.history(fresh.id()))
            .extracting(HistoryRecord::from, HistoryRecord::to, HistoryRecord::detail)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, Status.JUST_IN, null),
                org.assertj.core.groups.Tuple.tuple(Status.JUST_IN, Status.PROCESSED, null));
        assertThat(upgraded.history(finished.id()))
            .extracting(HistoryRecord::from, HistoryRecord::to, HistoryRecord::detail)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, Status.JUST_IN, null),
                org.assertj.core.groups.Tuple.tuple(
                    Status.JUST_IN, Status.PROCESSED, "normalized"));
        try (Connection c = db.dataSource.getConnection();
            var st = c.createStatement();
            ResultSet rs =
                st.executeQuery(
                    "SELECT count(*) FROM "
                        + prefix
                        + "history WHERE entry_id IN ('"
                        + fresh.id().value()
                        + "', '"
                        + finished.id().value()
                        + "')")) {
          rs.next();
          assertThat(rs.getInt(1)).as("history rows of the entries written after").isEqualTo(1);
        }
      } finally {
        new TestDatabase(db.dialect, db.dataSource, prefix).dropTables();
      }
    }

    @Test
    @DisplayName(
        "upgrade a version-3 schema to version 4 (operator methods), keeping its entries, which"
            + " search and dedup-key lookup then find")
    void upgradeFromVersionThree() throws Exception {
      String prefix = "w" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
      try {
        JdbcStatusStore old = schemaAtVersion(prefix, 3);
        NewEntry before = root("kept-" + prefix);
        old.intake(List.of(before), T0);

        assertThat(old.migrate()).as("versions applied").isEqualTo(Migrator.FILES.size() - 3);
        assertThat(old.schemaVersion()).isEqualTo(Migrator.FILES.size());
        assertThat(old.search(EntrySearch.builder().route(before.route()).build()).entries())
            .extracting(Entry::id)
            .containsExactly(before.id());
        assertThat(old.findByDedupKey("kept-" + prefix))
            .extracting(Entry::id)
            .containsExactly(before.id());
        assertThat(old.pauseRoute(before.route(), "alice", T0).route()).isEqualTo(before.route());
        assertThat(old.pausedRoutes()).containsKey(before.route());
        assertThat(
                old.startReplayJob(
                        EntrySearch.builder().route(before.route()).build(), "alice", "fix", T0)
                    .total())
            .isEqualTo(1);
        assertThat(claim(old, 10, T0)).extracting(Entry::id).containsExactly(before.id());
      } finally {
        new TestDatabase(db.dialect, db.dataSource, prefix).dropTables();
      }
    }

    @Test
    @DisplayName(
        "upgrade a version-4 schema to version 5 (PostgreSQL rewrites the entry table), keeping"
            + " every entry with its payload, history, lineage and trace, and the claim order")
    void upgradeFromVersionFour() throws Exception {
      String prefix = "x" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
      try {
        JdbcStatusStore old = schemaAtVersion(prefix, 4);
        NewEntry done = root("done-" + prefix);
        NewEntry waiting = root("waiting-" + prefix);
        old.intake(List.of(done), T0);
        old.intake(List.of(waiting), T0);
        Entry claimed = claim(old, 1, T0).get(0);
        assertThat(claimed.id()).isEqualTo(done.id());
        NewEntry output = outputOf(claimed).finished(Status.PROCESSED, "normalized");
        old.commit(List.of(processed(claimed, output)), T0.plusMillis(1));
        Entry doneBefore = old.find(done.id()).orElseThrow();
        Entry outputBefore = old.find(output.id()).orElseThrow();
        List<HistoryRecord> historyBefore = old.history(done.id());

        assertThat(old.migrate()).as("versions applied").isEqualTo(Migrator.FILES.size() - 4);
        assertThat(old.schemaVersion()).isEqualTo(Migrator.FILES.size());

        assertThat(old.find(done.id())).get().usingRecursiveComparison().isEqualTo(doneBefore);
        assertThat(old.find(output.id())).get().usingRecursiveComparison().isEqualTo(outputBefore);
        assertThat(old.find(output.id()).orElseThrow().payload().bytes())
            .isEqualTo(output.payload().bytes());
        assertThat(old.history(done.id())).isEqualTo(historyBefore);
        assertThat(old.findBySource(done.id())).extracting(Entry::id).containsExactly(output.id());
        assertThat(old.findByTrace(done.traceId()))
            .extracting(Entry::id)
            .containsExactly(done.id(), output.id());
        assertThat(old.query(EntryQuery.of(route, 10, Status.PROCESSED)))
            .extracting(Entry::id)
            .containsExactlyInAnyOrder(done.id(), output.id());
        assertThat(old.query(EntryQuery.of(route, 10, Status.JUST_IN)))
            .extracting(Entry::id)
            .containsExactly(waiting.id());
        // Written after the rewrite at the same instant: claimed after the kept entry (the
        // insertion sequence continues past the copied rows).
        NewEntry fresh = root("fresh-" + prefix);
        old.intake(List.of(fresh), T0);
        assertThat(claim(old, 10, T0))
            .extracting(Entry::id)
            .containsExactly(waiting.id(), fresh.id());
      } finally {
        new TestDatabase(db.dialect, db.dataSource, prefix).dropTables();
      }
    }

    /** Creates the schema as versions 1 to {@code version} left it, as an older release did. */
    private JdbcStatusStore schemaAtVersion(String prefix, int version) throws Exception {
      try (Connection c = db.dataSource.getConnection();
          var st = c.createStatement()) {
        for (int v = 1; v <= version; v++) {
          String file = Migrator.FILES.get(v - 1);
          String script;
          try (var in =
              JdbcStatusStore.class.getResourceAsStream(
                  "/dev/postoffice/jdbc/schema/" + db.dialect.schemaFolder() + "/" + file)) {
            script =
                new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                    .replace("${prefix}", prefix);
          }
          for (String sql : script.replaceAll("(?m)^\\s*--.*$", "").split(";\\s*\\n")) {
            if (!sql.isBlank()) {
              st.execute(sql);
            }
          }
        }
        st.execute(
            "CREATE TABLE "
                + prefix
                + "schema_version (version INTEGER NOT NULL PRIMARY KEY,"
                + " description VARCHAR(200) NOT NULL, installed_at BIGINT NOT NULL)");
        for (int v = 1; v <= version; v++) {
          st.execute(
              "INSERT INTO "
                  + prefix
                  + "schema_version VALUES ("
                  + v
                  + ", '"
                  + Migrator.FILES.get(v - 1)
                  + "', 0)");
        }
      }
      return JdbcStatusStore.builder(db.dataSource).tablePrefix(prefix).build();
    }

    @Test
    @DisplayName("run from several nodes at once create the schema exactly once")
    void concurrent() throws Exception {
      String prefix = "m" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
      ExecutorService pool = Executors.newFixedThreadPool(3);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
          results.add(
              pool.submit(
                  () -> {
                    JdbcStatusStore s =
                        JdbcStatusStore.builder(db.dataSource).tablePrefix(prefix).build();
                    start.await();
                    return s.migrate();
                  }));
        }
        start.countDown();
        int applied = 0;
        for (Future<Integer> f : results) {
          applied += f.get(60, TimeUnit.SECONDS);
        }
        assertThat(applied)
            .as("every schema version, applied by one of the three")
            .isEqualTo(Migrator.FILES.size());
      } finally {
        pool.shutdownNow();
        new TestDatabase(db.dialect, db.dataSource, prefix).dropTables();
      }
    }

    @Test
    @DisplayName("write the schema with the prefix filled in, for Flyway or Liquibase")
    void writeSchema() throws Exception {
      StringWriter out = new StringWriter();
      store.writeSchema(out);
      assertThat(out.toString())
          .contains("CREATE TABLE IF NOT EXISTS " + db.prefix + "entry")
          .contains(db.prefix + "entry_claim_idx")
          .doesNotContain("${prefix}");
    }

    @Test
    @DisplayName("a store whose tables do not exist fails with a hint to migrate")
    void missingSchema() {
      JdbcStatusStore none =
          JdbcStatusStore.builder(db.dataSource).tablePrefix("nothing_here_").build();
      assertThatThrownBy(() -> none.find(EntryId.random()))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("migrate()");
    }
  }

  @Test
  @DisplayName("the dialect is detected from the connection")
  void detectsDialect() {
    assertThat(store.dialect()).isEqualTo(db.dialect);
    assertThat(store.capabilities().skipLocked()).isEqualTo(db.dialect != JdbcDialect.H2);
    assertThat(store.capabilities().sharedAcrossNodes()).isEqualTo(db.dialect != JdbcDialect.H2);
  }

  @Test
  @DisplayName("a claim skips rows another transaction has locked instead of waiting for them")
  void skipLocked() throws Exception {
    Assumptions.assumeTrue(
        store.capabilities().skipLocked(), store.dialect() + " claims without SKIP LOCKED");
    List<NewEntry> entries = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      entries.add(root(null));
    }
    store.intake(entries, T0);
    List<String> locked = entries.subList(0, 3).stream().map(n -> n.id().value()).toList();
    try (Connection c = db.dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      // Lock row by row on the primary key: on InnoDB a range (even an IN list) locks more than it
      // returns.
      for (String id : locked) {
        try (PreparedStatement ps =
            c.prepareStatement(
                "SELECT id FROM " + db.prefix + "entry WHERE id = ?" + " FOR UPDATE")) {
          ps.setString(1, id);
          try (ResultSet rs = ps.executeQuery()) {
            assertThat(rs.next()).isTrue();
          }
        }
      }
      List<Entry> got =
          assertTimeoutPreemptively(Duration.ofSeconds(10), () -> claim(store, 10, T0));
      assertThat(got)
          .hasSize(7)
          .extracting(e -> e.id().value())
          .doesNotContainAnyElementsOf(locked);
      c.rollback();
    }
    assertThat(claim(store, 10, T0)).hasSize(3);
  }

  @Test
  @DisplayName(
      "an entry taken in alone is stored as it would be in a batch (PostgreSQL binds a lone row as"
          + " plain values, a batch as arrays)")
  void aloneOrInABatch() throws Exception {
    Lease lease = new Lease("node-a", T0.plus(LEASE));
    Map<String, String> headers = Map.of("x-partner", "acme", "x-batch", "7");
    NewEntry alone = root(null, headers, lease);
    NewEntry first = root(null, headers, lease);
    NewEntry second = root(null);

    assertThat(store.intake(List.of(alone), T0)).noneMatch(IntakeResult::isDuplicate);
    assertThat(store.intake(List.of(first, second), T0)).noneMatch(IntakeResult::isDuplicate);
    // Taken in again alone (a retried call): found, not stored twice.
    assertThat(store.intake(List.of(alone), T0.plusSeconds(1)))
        .extracting(IntakeResult::entryId)
        .containsExactly(alone.id());

    Map<String, Object> aloneRow = storedRow(alone.id());
    assertThat(aloneRow)
        .containsEntry("status", "JUST_IN")
        .containsEntry("lease_owner", "node-a")
        .containsEntry("content_type", "application/json");
    Map<String, Object> firstRow = storedRow(first.id());
    // Leases expire by the database's clock, read by each call: the two calls' differ slightly.
    assertThat(((Number) aloneRow.remove("lease_expires_at")).longValue())
        .isCloseTo(
            ((Number) firstRow.remove("lease_expires_at")).longValue(),
            org.assertj.core.data.Offset.offset(Duration.ofSeconds(5).toNanos()));
    assertThat(aloneRow).isEqualTo(firstRow);
    assertThat(store.find(alone.id()).orElseThrow())
        .usingRecursiveComparison()
        .ignoringFields("id", "traceId", "lease.expiresAt")
        .isEqualTo(store.find(first.id()).orElseThrow());
    assertThat(store.find(alone.id()).orElseThrow().payload().bytes())
        .isEqualTo(alone.payload().bytes());
    assertThat(store.history(alone.id())).hasSize(1);
  }

  /** The entry's row as stored, but for the columns that differ per entry (id, trace, sequence). */
  private Map<String, Object> storedRow(EntryId id) throws Exception {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT * FROM " + db.prefix + "entry WHERE id = ?")) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        assertThat(rs.next()).as("stored: " + id).isTrue();
        Map<String, Object> row = new java.util.TreeMap<>();
        for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
          String column = rs.getMetaData().getColumnLabel(i).toLowerCase(java.util.Locale.ROOT);
          if (!List.of("id", "trace_id", "seq").contains(column)) {
            Object value = rs.getObject(i);
            if (value instanceof java.sql.Blob blob) {
              value = blob.getBytes(1, (int) blob.length());
            }
            row.put(
                column,
                value instanceof byte[] bytes ? java.util.HexFormat.of().formatHex(bytes) : value);
          }
        }
        return row;
      }
    }
  }

  @Test
  @DisplayName(
      "concurrent intakes of one dedup key from several nodes store exactly one JUST_IN entry")
  void dedupRace() throws Exception {
    int nodes = 4;
    ExecutorService pool = Executors.newFixedThreadPool(nodes);
    try {
      for (int k = 0; k < 10; k++) {
        String key = "key-" + k;
        CountDownLatch start = new CountDownLatch(1);
        List<Future<IntakeResult>> results = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
          JdbcStatusStore node = db.store();
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return node.intake(List.of(root(key)), T0).get(0);
                  }));
        }
        start.countDown();
        List<IntakeResult> all = new ArrayList<>();
        for (Future<IntakeResult> f : results) {
          all.add(f.get(60, TimeUnit.SECONDS));
        }
        List<IntakeResult> originals = all.stream().filter(r -> !r.isDuplicate()).toList();
        assertThat(originals).hasSize(1);
        assertThat(all)
            .filteredOn(IntakeResult::isDuplicate)
            .hasSize(nodes - 1)
            .allSatisfy(r -> assertThat(r.duplicateOf()).isEqualTo(originals.get(0).entryId()));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Nested
  @DisplayName("retention")
  class Retention {
    private Entry finished(Instant at) {
      NewEntry n = root(null);
      store.intake(List.of(n), at);
      Entry e = claim(store, 1, at).get(0);
      store.commit(List.of(processed(e)), at);
      return e;
    }

    @Test
    @DisplayName("purges payloads of old finished entries only, keeping statuses and history")
    void payloads() {
      Entry old = finished(T0);
      NewEntry waiting = root(null);
      store.intake(List.of(waiting), T0);
      Entry recent = finished(T0.plusSeconds(3600));

      assertThat(store.purgePayloadsBefore(T0.plusSeconds(60), 1)).isGreaterThanOrEqualTo(1);

      Entry purged = store.find(old.id()).orElseThrow();
      assertThat(purged.payload()).isNull();
      assertThat(purged.status()).isEqualTo(Status.PROCESSED);
      assertThat(store.history(old.id()))
          .extracting(HistoryRecord::to)
          .containsExactly(Status.JUST_IN, Status.PROCESSED);
      assertThat(store.find(waiting.id()).orElseThrow().payload()).isNotNull();
      assertThat(store.find(recent.id()).orElseThrow().payload()).isNotNull();
    }

    @Test
    @DisplayName(
        "purges whole finished traces in batches, leaving traces with waiting or recent entries")
    void traces() {
      Entry a = finished(T0);
      Entry b = finished(T0);
      NewEntry waiting = root("dedup-waiting");
      store.intake(List.of(waiting), T0);
      Entry recent = finished(T0.plusSeconds(3600));

      assertThat(store.purgeFinishedTracesBefore(T0.plusSeconds(60), 1)).isGreaterThanOrEqualTo(2);

      assertThat(store.find(a.id())).isEmpty();
      assertThat(store.find(b.id())).isEmpty();
      assertThat(store.history(a.id())).isEmpty();
      assertThat(store.find(waiting.id())).isPresent();
      assertThat(store.find(recent.id())).isPresent();
    }

    @Test
    @DisplayName("rejects a batch size out of range with the rule and the value")
    void batchSize() {
      assertThatThrownBy(() -> store.purgePayloadsBefore(T0, 0))
          .hasMessage("batchSize must be between 1 and 10000, but was 0");
    }
  }

  @Nested
  @DisplayName("when the database drops out")
  class Outage {
    private FlakyDataSource flaky;
    private JdbcStatusStore flakyStore;

    @BeforeEach
    void wrap() {
      flaky = new FlakyDataSource(db.dataSource, db.dialect);
      flakyStore = JdbcStatusStore.builder(flaky).tablePrefix(db.prefix).build();
    }

    @Test
    @DisplayName(
        "no connection: a retryable StoreUnavailableException, and work resumes when it returns")
    void down() {
      NewEntry n = root(null);
      flakyStore.intake(List.of(n), T0);
      flaky.down = true;
      assertThatThrownBy(() -> claim(flakyStore, 10, T0))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("not reachable");
      flaky.down = false;
      assertThat(claim(flakyStore, 10, T0)).extracting(Entry::id).containsExactly(n.id());
    }

    @Test
    @DisplayName(
        "connection killed while a commit batch commits: nothing of it is visible, and it applies later")
    void dropDuringCommit() {
      List<NewEntry> roots = List.of(root(null), root(null), root(null));
      flakyStore.intake(roots, T0);
      List<Entry> claimed = claim(flakyStore, 10, T0);
      List<Completion> batch = claimed.stream().map(e -> processed(e, outputOf(e))).toList();

      flaky.dropOnCommit = true;
      assertThatThrownBy(() -> flakyStore.commit(batch, T0))
          .isInstanceOf(StoreUnavailableException.class);
      flaky.dropOnCommit = false;

      for (Entry e : claimed) {
        Entry now = store.find(e.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(Status.JUST_IN);
        assertThat(now.lease()).isEqualTo(e.lease());
        assertThat(store.find(outputOf(e).id())).isEmpty();
        assertThat(store.history(e.id())).hasSize(1);
      }
      assertThat(flakyStore.commit(batch, T0).applied()).hasSize(3);
      assertThat(store.findBySource(claimed.get(0).id())).hasSize(1);
    }

    @Test
    @DisplayName(
        "connection killed while an intake batch commits: none of it is stored, and a retry stores all")
    void dropDuringIntake() {
      List<NewEntry> roots = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        roots.add(root("k" + i));
      }
      flaky.dropOnCommit = true;
      assertThatThrownBy(() -> flakyStore.intake(roots, T0))
          .isInstanceOf(StoreUnavailableException.class);
      flaky.dropOnCommit = false;
      assertThat(store.backlog(route)).isZero();
      assertThat(flakyStore.intake(roots, T0)).noneMatch(IntakeResult::isDuplicate);
      assertThat(store.backlog(route)).isEqualTo(50);
    }

    @Test
    @DisplayName(
        "connection killed while an intake batch without dedup keys commits: none of it is stored,"
            + " and a retry stores all")
    void dropDuringPlainIntake() {
      List<NewEntry> roots = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        roots.add(root(null));
      }
      flaky.dropOnCommit = true;
      assertThatThrownBy(() -> flakyStore.intake(roots, T0))
          .isInstanceOf(StoreUnavailableException.class);
      flaky.dropOnCommit = false;
      assertThat(store.backlog(route)).isZero();
      assertThat(store.history(roots.get(0).id())).isEmpty();
      assertThat(flakyStore.intake(roots, T0)).noneMatch(IntakeResult::isDuplicate);
      assertThat(store.backlog(route)).isEqualTo(50);
    }
  }

  private String schemaFile(String file, String prefix) throws java.io.IOException {
    try (var in =
        JdbcStatusStore.class.getResourceAsStream(
            "/dev/postoffice/jdbc/schema/" + db.dialect.schemaFolder() + "/" + file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
          .replace("${prefix}", prefix);
    }
  }

  private void insertVersionTwoEntry(
      Connection c,
      String prefix,
      EntryId id,
      EntryId source,
      TraceId trace,
      Layer layer,
      String status,
      long at)
      throws java.sql.SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + prefix
                + "entry (id, route, direction, layer, status, content_type, payload, source_id,"
                + " trace_id, attempts, generation, produced_by, created_at, updated_at)"
                + " VALUES (?, ?, 'UPSTREAM', ?, ?, 'application/json', ?, ?, ?, 1, 0, 'v2', ?, ?)")) {
      ps.setString(1, id.value());
      ps.setString(2, route.value());
      ps.setInt(3, layer.number());
      ps.setString(4, status);
      ps.setBytes(5, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
      ps.setString(6, source == null ? null : source.value());
      ps.setString(7, trace.value());
      ps.setLong(8, at);
      ps.setLong(9, at);
      ps.executeUpdate();
    }
  }

  private static void insertVersionTwoHistory(
      Connection c, String prefix, EntryId id, String from, String to, long at, String detail)
      throws java.sql.SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + prefix
                + "history (entry_id, from_status, to_status, changed_at, detail)"
                + " VALUES (?, ?, ?, ?, ?)")) {
      ps.setString(1, id.value());
      ps.setString(2, from);
      ps.setString(3, to);
      ps.setLong(4, at);
      ps.setString(5, detail);
      ps.executeUpdate();
    }
  }
}
