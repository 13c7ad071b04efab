package dev.postoffice.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What synchronous submitters could reach on this machine's PostgreSQL with nothing else running:
 * each thread inserts one 480-byte row per autocommit statement (a durable commit each, like a
 * submit), into a table with three indexes. The pipeline's intake does the same work per submit
 * plus its own, while its stages share the cores; this is the ceiling that the PostgreSQL
 * scenario's two submitters are measured against in docs/performance.md.
 *
 * <pre>
 * java -cp postoffice-benchmarks/target/classes:$(cat cp.txt) \
 *     dev.postoffice.benchmarks.SubmitterFloor [threads=2] [inserts per thread=5000] [database=test]
 * </pre>
 */
public final class SubmitterFloor {
  private SubmitterFloor() {}

  /**
   * Runs four rounds and prints inserts per second and the time per insert.
   *
   * @param args threads, inserts per thread per round, database
   * @throws Exception if PostgreSQL is unreachable or a statement fails
   */
  public static void main(String[] args) throws Exception {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int inserts = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    String url =
        "jdbc:postgresql://127.0.0.1:5432/"
            + (args.length > 2 ? args[2] : "test")
            + "?user=postgres";
    String table = "bench_floor_" + UUID.randomUUID().toString().substring(0, 8);
    try (Connection c = DriverManager.getConnection(url);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE "
              + table
              + " (id VARCHAR(64) PRIMARY KEY, route VARCHAR(100), payload BYTEA,"
              + " trace_id VARCHAR(64), created_at BIGINT)");
      st.execute("CREATE INDEX ON " + table + " (trace_id, created_at)");
      st.execute("CREATE INDEX ON " + table + " (route, created_at DESC, id DESC)");
    }
    try {
      for (int round = 1; round <= 4; round++) {
        long start = System.nanoTime();
        AtomicLong done = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          Thread w = new Thread(() -> insert(url, table, inserts, done), "floor-" + t);
          workers.add(w);
          w.start();
        }
        for (Thread w : workers) {
          w.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(
            Locale.ROOT,
            "round %d: %d thread(s), %,.0f inserts/s, %.0f µs per insert per thread%n",
            round,
            threads,
            done.get() / seconds,
            seconds * 1e6 * threads / done.get());
      }
    } finally {
      try (Connection c = DriverManager.getConnection(url);
          Statement st = c.createStatement()) {
        st.execute("DROP TABLE " + table);
      }
    }
  }

  private static void insert(String url, String table, int inserts, AtomicLong done) {
    byte[] payload = Workload.json(0);
    try (Connection c = DriverManager.getConnection(url);
        PreparedStatement ps =
            c.prepareStatement("INSERT INTO " + table + " VALUES (?, 'route', ?, ?, ?)")) {
      for (int i = 0; i < inserts; i++) {
        String id = UUID.randomUUID().toString();
        ps.setString(1, id);
        ps.setBytes(2, payload);
        ps.setString(3, id);
        ps.setLong(4, System.nanoTime());
        ps.executeUpdate();
        done.incrementAndGet();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("insert into " + table + " failed", e);
    }
  }
}
