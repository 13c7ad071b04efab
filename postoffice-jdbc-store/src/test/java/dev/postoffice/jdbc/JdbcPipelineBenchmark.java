package dev.postoffice.jdbc;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.jdbc.UpstreamFlow.LineOrdered;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Not a test: upstream messages per second end to end through all four layers, one engine on the
 * JDBC store with the in-memory transport and a Core App receiver that acknowledges; each message a
 * ~500-byte JSON order with one line. Also runs plain JDBC doing the same writes (the same tables
 * and indexes: an insert and a history row per new entry, a status update and a history row per
 * change) batched, and one commit per message and step, and prints the ratios. Prints the median of
 * the runs after a warm-up. Run it as docs/performance.md shows:
 *
 * <pre>
 * ./mvnw -q -o -pl postoffice-jdbc-store test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=dev.postoffice.jdbc.JdbcPipelineBenchmark -Dexec.args="postgresql 10000 100,1 3"
 * </pre>
 */
public final class JdbcPipelineBenchmark {
  private JdbcPipelineBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param args database ({@code postgresql} or {@code h2}), messages per run, batch sizes, runs
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    String database = args.length > 0 ? args[0] : "postgresql";
    int messages = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    String[] batches = (args.length > 2 ? args[2] : "100,1").split(",");
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    for (String b : batches) {
      int batch = Integer.parseInt(b.trim());
      double[] engine = new double[runs];
      double[] plainBatched = new double[runs];
      double[] plainSingle = new double[runs];
      for (int run = -1; run < runs; run++) { // run -1 is the warm-up
        int n = run < 0 ? Math.max(1000, messages / 4) : messages;
        double e = measure(database, db -> pipeline(db, n, batch));
        double pb = measure(database, db -> plain(db, n, batch));
        double ps = measure(database, db -> plain(db, Math.min(n, 2000), 1));
        if (run >= 0) {
          engine[run] = e;
          plainBatched[run] = pb;
          plainSingle[run] = ps;
        }
      }
      double m = median(engine);
      System.out.printf(
          "%s batch=%d messages=%d runs=%d: engine %.0f msgs/s | plain JDBC batched %.0f msgs/s"
              + " (engine/plain %.2f) | plain JDBC one commit per write %.0f msgs/s (engine/plain %.2f)%n",
          database,
          batch,
          messages,
          runs,
          m,
          median(plainBatched),
          m / median(plainBatched),
          median(plainSingle),
          m / median(plainSingle));
    }
  }

  /** One measurement on fresh tables: returns messages per second. */
  private interface Run {
    double run(TestDatabase db) throws Exception;
  }

  private static double measure(String database, Run run) throws Exception {
    String prefix = "pb" + UUID.randomUUID().toString().replace("-", "").substring(0, 8) + "_";
    TestDatabase db =
        database.equals("h2")
            ? TestDatabase.h2()
            : new TestDatabase(
                JdbcDialect.POSTGRESQL,
                TestDatabase.newPool(TestDatabase.POSTGRES_URL, "postgres", 8),
                prefix);
    try {
      db.migratedStore();
      return run.run(db);
    } finally {
      db.close();
    }
  }

  private static double pipeline(TestDatabase db, int messages, int batch) throws Exception {
    InMemoryTransport transport = InMemoryTransport.create();
    RouteSettings settings =
        RouteSettings.builder()
            .batchSize(batch)
            .pollInterval(Duration.ofMillis(20))
            .highWaterMark(10L * messages)
            .build();
    Pipeline p =
        PostOffice.builder()
            .nodeId("bench")
            .store(db.store())
            .transport(transport)
            .route(UpstreamFlow.route(settings, o -> {}, o -> {}))
            .build()
            .start();
    CoreAppReceiver<LineOrdered> receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), LineOrdered.class)
            .from(UpstreamFlow.QUEUE)
            .handler((line, ctx) -> {})
            .build()
            .start();
    try {
      List<RawMessage> page = new ArrayList<>(batch);
      long start = System.nanoTime();
      for (int i = 0; i < messages; i++) {
        page.add(RawMessage.json(UpstreamFlow.orderJson("o-" + i, 1, 500), null));
        if (page.size() == batch || i == messages - 1) {
          p.intake(UpstreamFlow.ROUTE).submitAll(page);
          page = new ArrayList<>(batch);
        }
      }
      while (acknowledged(db) < messages) {
        Thread.sleep(20);
      }
      return messages / ((System.nanoTime() - start) / 1e9);
    } finally {
      p.close();
      receiver.close();
      transport.close();
    }
  }

  private static long acknowledged(TestDatabase db) throws SQLException {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT COUNT(*) FROM "
                    + db.prefix
                    + "entry WHERE route = ?"
                    + " AND status = 'ACKNOWLEDGED'")) {
      ps.setString(1, UpstreamFlow.ROUTE);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Plain JDBC, the same writes as the engine: intake (insert + history), three stages (update +
   * history, insert output + history), publish (update + history), acknowledgement (update +
   * history); {@code batch} messages per transaction and JDBC batch.
   */
  private static double plain(TestDatabase db, int messages, int batch) throws SQLException {
    String insert =
        "INSERT INTO "
            + db.prefix
            + "entry (id, route, direction, layer, status, content_type, payload,"
            + " headers, source_id, trace_id, attempts, generation, produced_by, created_at, updated_at)"
            + " VALUES (?, 'plain', 'UPSTREAM', ?, 'JUST_IN', 'application/json', ?, NULL, ?, ?, 0, 0, 'plain', ?, ?)";
    String update =
        "UPDATE " + db.prefix + "entry SET status = ?, updated_at = ? WHERE id = ? AND status = ?";
    String history =
        "INSERT INTO "
            + db.prefix
            + "history (entry_id, from_status, to_status, changed_at)"
            + " VALUES (?, ?, ?, ?)";
    byte[] payload =
        UpstreamFlow.orderJson("o-1", 1, 500).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    AtomicLong clock = new AtomicLong();
    long start = System.nanoTime();
    try (Connection c = db.dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ins = c.prepareStatement(insert);
          PreparedStatement upd = c.prepareStatement(update);
          PreparedStatement his = c.prepareStatement(history)) {
        for (int i = 0; i < messages; i += batch) {
          String[] ids = new String[Math.min(batch, messages - i)];
          Arrays.setAll(ids, k -> UUID.randomUUID().toString());
          step(c, ins, his, null, ids, 1, payload, clock, upd, null, null);
          for (int layer = 1; layer <= 3; layer++) {
            String[] outs = new String[ids.length];
            Arrays.setAll(outs, k -> UUID.randomUUID().toString());
            step(c, ins, his, ids, outs, layer + 1, payload, clock, upd, "JUST_IN", "PROCESSED");
            ids = outs;
          }
          step(c, null, his, ids, null, 0, payload, clock, upd, "JUST_IN", "QUEUED");
          step(c, null, his, ids, null, 0, payload, clock, upd, "QUEUED", "ACKNOWLEDGED");
        }
      }
    }
    return messages / ((System.nanoTime() - start) / 1e9);
  }

  /** One transaction: moves {@code ids} from one status to another, and/or inserts {@code outs}. */
  private static void step(
      Connection c,
      PreparedStatement ins,
      PreparedStatement his,
      String[] ids,
      String[] outs,
      int layer,
      byte[] payload,
      AtomicLong clock,
      PreparedStatement upd,
      String from,
      String to)
      throws SQLException {
    long now = clock.incrementAndGet();
    if (ids != null) {
      for (String id : ids) {
        upd.setString(1, to);
        upd.setLong(2, now);
        upd.setString(3, id);
        upd.setString(4, from);
        upd.addBatch();
        his.setString(1, id);
        his.setString(2, from);
        his.setString(3, to);
        his.setLong(4, now);
        his.addBatch();
      }
      upd.executeBatch();
    }
    if (outs != null) {
      for (int k = 0; k < outs.length; k++) {
        ins.setString(1, outs[k]);
        ins.setInt(2, layer);
        ins.setBytes(3, payload);
        ins.setString(4, ids == null ? null : ids[k]);
        ins.setString(5, outs[k]);
        ins.setLong(6, now);
        ins.setLong(7, now);
        ins.addBatch();
        his.setString(1, outs[k]);
        his.setString(2, null);
        his.setString(3, "JUST_IN");
        his.setLong(4, now);
        his.addBatch();
      }
      ins.executeBatch();
    }
    his.executeBatch();
    c.commit();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
