package dev.postoffice.jdbc;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Not a test: prints upstream throughput of the JDBC store alone, in messages per second, for
 * intake plus batched claim and commit through all four layers (L1 to L3 PROCESSED with one output
 * each, L4 QUEUED) on one thread. Run it as docs/performance.md shows:
 *
 * <pre>
 * ./mvnw -q -o -pl postoffice-jdbc-store test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.postoffice.jdbc.JdbcStoreBenchmark -Dexec.args="postgresql 20000 1,10,100 1000000"
 * </pre>
 */
public final class JdbcStoreBenchmark {
  private static final Duration LEASE = Duration.ofSeconds(60);

  private JdbcStoreBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args database ({@code postgresql}, {@code mariadb} or {@code h2}), messages, batch
   *     sizes, and how many finished entries the tables hold before the run (default 0)
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    String database = args.length > 0 ? args[0] : "postgresql";
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
    String[] batches = (args.length > 2 ? args[2] : "1,10,100").split(",");
    long prefill = args.length > 3 ? Long.parseLong(args[3]) : 0;
    for (String b : batches) {
      int batch = Integer.parseInt(b.trim());
      TestDatabase db =
          switch (database) {
            case "h2" -> TestDatabase.h2();
            case "mariadb" ->
                new TestDatabase(
                    JdbcDialect.MARIADB,
                    TestDatabase.newPool(TestDatabase.MARIADB_URL, "root", 4),
                    "bench_" + batch + "_");
            default ->
                new TestDatabase(
                    JdbcDialect.POSTGRESQL,
                    TestDatabase.newPool(TestDatabase.POSTGRES_URL, "postgres", 4),
                    "bench_" + batch + "_");
          };
      try {
        db.dropTables();
        JdbcStatusStore store = db.migratedStore();
        if (prefill > 0) {
          prefill(db, prefill);
        }
        run(store, Math.min(messages, batch == 1 ? messages / 4 : messages), batch); // warm-up
        long start = System.nanoTime();
        run(store, messages, batch);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            "%s batch=%d messages=%d pre-existing=%d seconds=%.2f msgs/s=%.0f%n",
            store.dialect(), batch, messages, prefill, seconds, messages / seconds);
      } finally {
        db.close();
      }
    }
  }

  /**
   * Fills the tables with finished entries of another route (four per trace) and their history, as
   * SQL.
   */
  private static void prefill(TestDatabase db, long entries) throws java.sql.SQLException {
    String series =
        db.dialect == JdbcDialect.POSTGRESQL
            ? "generate_series(1, " + entries + ") g(x)"
            : "system_range(1, " + entries + ") g(x)";
    try (java.sql.Connection c = db.dataSource.getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute(
          "INSERT INTO "
              + db.prefix
              + "entry (id, route, direction, layer, status, content_type, payload,"
              + " headers, source_id, trace_id, attempts, generation, produced_by, created_at, updated_at)"
              + " SELECT 'old-' || x, 'old-route', 'UPSTREAM', 1 + MOD(x, 4), CASE WHEN MOD(x, 4) = 3"
              + " THEN 'ACKNOWLEDGED' ELSE 'PROCESSED' END, 'application/json', "
              + (db.dialect == JdbcDialect.POSTGRESQL
                  ? "convert_to(repeat('x', 500), 'UTF8')"
                  : "CAST(REPEAT('x', 500) AS VARBINARY)")
              + ", NULL, 'old-' || (x - 1), 'trace-' || (x / 4), 1, 0, 'old', x, x FROM "
              + series);
      st.execute(
          "INSERT INTO "
              + db.prefix
              + "history (entry_id, from_status, to_status, changed_at)"
              + " SELECT 'old-' || x, NULL, 'JUST_IN', x FROM "
              + series);
      st.execute(
          "INSERT INTO "
              + db.prefix
              + "history (entry_id, from_status, to_status, changed_at)"
              + " SELECT 'old-' || x, 'JUST_IN', 'PROCESSED', x FROM "
              + series);
      if (db.dialect == JdbcDialect.POSTGRESQL) {
        st.execute("VACUUM ANALYZE " + db.prefix + "entry");
        st.execute("VACUUM ANALYZE " + db.prefix + "history");
      }
    }
  }

  private static void run(JdbcStatusStore store, int messages, int batch) {
    RouteId route = RouteId.of("bench-" + UUID.randomUUID().toString().substring(0, 8));
    Instant now = Instant.parse("2030-01-01T00:00:00Z");
    byte[] body = new byte[512];
    for (int i = 0; i < messages; i += batch) {
      List<NewEntry> page = new ArrayList<>();
      for (int j = i; j < Math.min(messages, i + batch); j++) {
        page.add(
            new NewEntry(
                EntryId.random(),
                route,
                Direction.UPSTREAM,
                Layer.L1,
                Payload.of(body, Payload.JSON),
                Map.of("n", Integer.toString(j)),
                null,
                TraceId.random(),
                null,
                "bench@1",
                null));
      }
      store.intake(page, now);
    }
    boolean moved = true;
    while (moved) {
      moved = false;
      for (Layer layer : Layer.values()) {
        List<Entry> claimed =
            store.claim(new ClaimRequest(route, layer, batch, "bench", LEASE, now));
        if (claimed.isEmpty()) {
          continue;
        }
        moved = true;
        List<Completion> done = new ArrayList<>(claimed.size());
        for (Entry e : claimed) {
          List<NewEntry> out =
              layer == Layer.L4
                  ? List.of()
                  : List.of(
                      new NewEntry(
                          EntryId.derive(e.id(), e.generation(), 0),
                          route,
                          Direction.UPSTREAM,
                          layer.next(Direction.UPSTREAM),
                          e.payload(),
                          e.headers(),
                          e.id(),
                          e.traceId(),
                          null,
                          "bench@1",
                          null));
          done.add(
              new Completion(
                  e.id(),
                  "bench",
                  e.attempts(),
                  layer == Layer.L4 ? Status.QUEUED : Status.PROCESSED,
                  null,
                  null,
                  null,
                  out));
        }
        store.commit(done, now);
      }
    }
  }
}
