package dev.postoffice.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The database baseline: the rows the pipeline writes per message, in plain JDBC. Per message, four
 * entry rows with the payload (one per layer) and nine status rows (the nine status changes of the
 * upstream path), batched {@code batch} messages a transaction on one connection, synchronous
 * commits.
 */
final class JdbcBaseline {
  private JdbcBaseline() {}

  /** Returns the seconds it took, and the process CPU per message in µs. */
  static double[] run(DataSource dataSource, int messages, int batch) throws SQLException {
    String table = "bench_raw_" + UUID.randomUUID().toString().substring(0, 8);
    byte[] payload = Workload.json(0);
    try (Connection c = dataSource.getConnection()) {
      try (Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE "
                + table
                + "_entry (id VARCHAR(64) PRIMARY KEY, status VARCHAR(20),"
                + " payload "
                + (c.getMetaData().getDatabaseProductName().contains("H2") ? "VARBINARY" : "BYTEA")
                + ", updated_at TIMESTAMP)");
        st.execute(
            "CREATE TABLE "
                + table
                + "_history (entry_id VARCHAR(64), to_status VARCHAR(20),"
                + " at TIMESTAMP)");
      }
      c.setAutoCommit(false);
      long cpuBefore = Stats.processCpuNanos();
      long started = System.nanoTime();
      try (PreparedStatement entry =
              c.prepareStatement("INSERT INTO " + table + "_entry VALUES (?, ?, ?, ?)");
          PreparedStatement history =
              c.prepareStatement("INSERT INTO " + table + "_history VALUES (?, ?, ?)")) {
        for (int i = 0; i < messages; i += batch) {
          for (int m = i; m < Math.min(messages, i + batch); m++) {
            Timestamp now = Timestamp.from(Instant.now());
            for (int layer = 1; layer <= 4; layer++) {
              String id = m + "-L" + layer;
              entry.setString(1, id);
              entry.setString(2, layer == 4 ? "ACKNOWLEDGED" : "PROCESSED");
              entry.setBytes(3, payload);
              entry.setTimestamp(4, now);
              entry.addBatch();
              for (String status :
                  layer == 4
                      ? new String[] {"JUST_IN", "QUEUED", "ACKNOWLEDGED"}
                      : new String[] {"JUST_IN", "PROCESSED"}) {
                history.setString(1, id);
                history.setString(2, status);
                history.setTimestamp(3, now);
                history.addBatch();
              }
            }
          }
          entry.executeBatch();
          history.executeBatch();
          c.commit();
        }
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      double cpu = (Stats.processCpuNanos() - cpuBefore) / 1000.0 / messages;
      c.setAutoCommit(true);
      try (Statement st = c.createStatement()) {
        st.execute("DROP TABLE " + table + "_entry");
        st.execute("DROP TABLE " + table + "_history");
      }
      return new double[] {seconds, cpu};
    }
  }
}
