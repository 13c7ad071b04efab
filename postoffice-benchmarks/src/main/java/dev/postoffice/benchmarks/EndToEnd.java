package dev.postoffice.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.RawMessage;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.spi.StatusStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The end-to-end harness: one command per scenario, printing msgs/s (median of the measured runs after the
 * warm-up), p50/p99 latency from intake to {@code ACKNOWLEDGED}, the heap's peak, and an in-run baseline
 * with the ratio. Scenarios: {@code inmemory} (in-memory store and transport), {@code h2} (H2 in memory, the
 * embedded default) and {@code postgresql} (127.0.0.1:5432, database test, user postgres; skipped with a
 * message when unreachable), the last two with the in-memory transport.
 *
 * <pre>
 * ./mvnw -q -pl postoffice-benchmarks -am package -DskipTests -Pbench -Dbench.args="inmemory 200000"
 * </pre>
 */
public final class EndToEnd {
  private EndToEnd() {}

  /**
   * Runs a scenario.
   *
   * @param args {@code <scenario> [messages] [name=value ...]}, see {@link Options#usage()}
   * @throws Exception on failure
   */
  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    run(o, System.out);
  }

  /**
   * Runs a scenario and prints its figures.
   *
   * @param o the options
   * @param out where to print
   * @return the median rate in msgs/s, or -1 if the scenario was skipped
   * @throws Exception on failure
   */
  static double run(Options o, PrintStream out) throws Exception {
    List<RawMessage> messages = Workload.messages(o.messages());
    out.printf(Locale.ROOT, "scenario %s: %,d messages of ~%d bytes, batch %d, concurrency %d, %d producer(s),"
            + " window %,d, %d warm-up + %d measured run(s); load %s%n", o.scenario(), o.messages(),
        Workload.json(0).length, o.batchSize(), o.concurrency(), o.producers(), o.window(), o.warmups(), o.runs(),
        Stats.load());
    DataSource dataSource = null;
    HikariDataSource pool = null;
    String prefix = "bench_" + UUID.randomUUID().toString().substring(0, 8) + "_";
    switch (o.scenario()) {
      case "inmemory" -> { }
      case "h2" -> {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        dataSource = h2;
      }
      case "postgresql" -> {
        if (!reachable("127.0.0.1", 5432)) {
          out.println("SKIPPED: PostgreSQL is not reachable at 127.0.0.1:5432 (database test, user postgres)");
          return -1;
        }
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true");
        config.setUsername("postgres");
        config.setMaximumPoolSize(8);
        pool = new HikariDataSource(config);
        dataSource = pool;
      }
      default -> throw new IllegalArgumentException("unknown scenario " + o.scenario() + "\n" + Options.usage());
    }
    try {
      JdbcStatusStore jdbc = null;
      if (dataSource != null) {
        jdbc = JdbcStatusStore.builder(dataSource)
            .dialect(o.scenario().equals("h2") ? JdbcDialect.H2 : JdbcDialect.POSTGRESQL)
            .tablePrefix(prefix)
            .build();
        jdbc.migrate();
      }
      double[] rates = new double[o.runs()];
      double[] cpus = new double[o.runs()];
      UpstreamRun.Result last = null;
      for (int r = -o.warmups(); r < o.runs(); r++) {
        StatusStore store = jdbc != null ? jdbc : InMemoryStatusStore.create();
        System.gc();
        UpstreamRun.Result result = UpstreamRun.run(store, "bench-" + (r + o.warmups()), messages, o);
        out.printf(Locale.ROOT, "  %s %d: %,.0f msgs/s (%.2f s), CPU %.1f µs/msg, p50 %.1f ms, p99 %.1f ms,"
                + " heap peak %,d MB (live after the run %,d MB), GC %,d ms, acks ahead of the confirm record %,d%n",
            r < 0 ? "warm-up" : "run", r < 0 ? r + o.warmups() + 1 : r + 1, result.rate(), result.seconds(),
            result.cpuMicrosPerMessage(), result.p50Micros() / 1000.0, result.p99Micros() / 1000.0,
            result.heapPeakMegabytes(), result.liveHeapMegabytes(), result.gcMillis(), result.overtaken());
        if (r >= 0) {
          rates[r] = result.rate();
          cpus[r] = result.cpuMicrosPerMessage();
          last = result;
        }
      }
      double median = Stats.median(rates);
      double cpu = Stats.median(cpus);
      double[] baseline = o.baseline() ? baseline(o, messages, dataSource) : new double[] {Double.NaN, Double.NaN};
      out.printf(Locale.ROOT, "RESULT %s: %,.0f msgs/s median, CPU %.1f µs/msg, p50 %.1f ms, p99 %.1f ms (last run),"
              + " heap peak %,d MB; baseline %s %,.0f msgs/s, CPU %.1f µs/msg; ratio %.2f (CPU ratio %.2f);"
              + " load %s%n", o.scenario(), median, cpu,
          last.p50Micros() / 1000.0, last.p99Micros() / 1000.0, last.heapPeakMegabytes(),
          dataSource == null ? "(bare 2-thread pool, same Jackson stages)" : "(plain JDBC, same rows, batch "
              + o.batchSize() + ")", baseline[0], baseline[1], median / baseline[0], baseline[1] / cpu, Stats.load());
      return median;
    } finally {
      if (dataSource != null) {
        drop(dataSource, prefix);
      }
      if (pool != null) {
        pool.close();
      }
    }
  }

  /** The baseline's median rate and CPU per message, after one warm-up round. */
  private static double[] baseline(Options o, List<RawMessage> messages, DataSource dataSource) throws Exception {
    double[] rates = new double[Math.max(1, o.runs())];
    double[] cpus = new double[rates.length];
    for (int r = -1; r < rates.length; r++) {
      double[] measured = dataSource == null ? JacksonBaseline.run(messages)
          : JdbcBaseline.run(dataSource, messages.size(), o.batchSize());
      if (r >= 0) {
        rates[r] = messages.size() / measured[0];
        cpus[r] = measured[1];
      }
    }
    return new double[] {Stats.median(rates), Stats.median(cpus)};
  }

  private static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void drop(DataSource dataSource, String prefix) {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      for (String table : List.of("entry", "history", "dedup", "poll_cursor", "receipt", "schema_version")) {
        st.execute("DROP TABLE IF EXISTS " + prefix + table);
      }
    } catch (SQLException e) {
      System.err.println("could not drop the benchmark tables " + prefix + "*: " + e.getMessage());
    }
  }
}
