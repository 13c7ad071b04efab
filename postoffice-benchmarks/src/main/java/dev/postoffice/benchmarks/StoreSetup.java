package dev.postoffice.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.core.memory.InMemoryReceiptLog;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.jdbc.JdbcReceiptLog;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.spi.ReceiptLog;
import dev.postoffice.spi.StatusStore;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The store a scenario runs on, for every node: in memory (one store shared by the nodes, fresh for
 * each run), H2 in memory, or PostgreSQL at 127.0.0.1:5432. On a database the tables live under a
 * table prefix of their own, migrated once and dropped at the end; each node gets its own {@link
 * JdbcStatusStore} and, on PostgreSQL, its own Hikari pool, as separate hosts would have.
 */
final class StoreSetup implements AutoCloseable {
  static final String POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true";

  /**
   * Connections per node: enough for the stages, the intake and the acknowledgements of one route.
   */
  private static final int POOL_SIZE = 8;

  private final String kind;
  private final String prefix = "bench_" + UUID.randomUUID().toString().substring(0, 8) + "_";
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<StatusStore> jdbcStores = new ArrayList<>();
  private final int nodes;
  private DataSource dataSource;

  private StoreSetup(String kind, int nodes) {
    this.kind = kind;
    this.nodes = nodes;
  }

  /**
   * Opens the scenario's store, migrated and pre-filled.
   *
   * @return the store, or null after printing {@code SKIPPED: ...} when PostgreSQL is needed but
   *     unreachable
   */
  static StoreSetup open(Options o, PrintStream out) throws SQLException {
    if (o.store().equals("postgresql") && !reachable("127.0.0.1", 5432)) {
      out.println(
          "SKIPPED: PostgreSQL is not reachable at 127.0.0.1:5432 (database test, user postgres)");
      return null;
    }
    StoreSetup setup = new StoreSetup(o.store(), o.nodes());
    try {
      setup.connect();
      if (o.prefill() > 0) {
        long started = System.nanoTime();
        Prefill.finishedEntries(setup.dataSource, setup.dialect(), setup.prefix, o.prefill());
        out.printf(
            java.util.Locale.ROOT,
            "  pre-filled %,d finished entries in %.1f s%n",
            o.prefill(),
            (System.nanoTime() - started) / 1e9);
      }
      return setup;
    } catch (SQLException | RuntimeException e) {
      setup.close();
      throw e;
    }
  }

  /**
   * Writes {@code entries} messages waiting at layer 1 of a route (see {@link Prefill#backlog}).
   *
   * @param route the route
   * @param entries how many
   * @param out where to say how long it took
   */
  void backlog(String route, long entries, PrintStream out) throws SQLException {
    long started = System.nanoTime();
    Prefill.backlog(dataSource, dialect(), prefix, route, entries);
    out.printf(
        java.util.Locale.ROOT,
        "  %,d messages waiting at layer 1 of %s written in %.1f s%n",
        entries,
        route,
        (System.nanoTime() - started) / 1e9);
  }

  private void connect() {
    if (kind.equals("inmemory")) {
      return;
    }
    List<DataSource> perNode = new ArrayList<>();
    if (kind.equals("h2")) {
      // One in-memory database; H2's data source opens a session per connection, so nodes need no
      // pools.
      JdbcDataSource h2 = new JdbcDataSource();
      h2.setURL("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
      perNode.addAll(Collections.nCopies(nodes, h2));
    } else {
      for (int n = 0; n < nodes; n++) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(POSTGRES_URL);
        config.setUsername("postgres");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setPoolName("bench-node-" + n);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        perNode.add(pool);
      }
    }
    dataSource = perNode.get(0);
    for (DataSource ds : perNode) {
      jdbcStores.add(JdbcStatusStore.builder(ds).dialect(dialect()).tablePrefix(prefix).build());
    }
    ((JdbcStatusStore) jdbcStores.get(0)).migrate();
  }

  JdbcDialect dialect() {
    return kind.equals("h2") ? JdbcDialect.H2 : JdbcDialect.POSTGRESQL;
  }

  /** The first node's data source, for baselines and receipt logs; null in memory. */
  DataSource dataSource() {
    return dataSource;
  }

  /**
   * One store per node for the next run: in memory a fresh one shared by all nodes, else the nodes'
   * own.
   */
  List<StatusStore> storesForRun() {
    return dataSource == null
        ? Collections.nCopies(nodes, InMemoryStatusStore.create())
        : jdbcStores;
  }

  /**
   * The Core App receiver's receipt log: in the database when the broker is real (a real Core App's
   * dedup must survive its restart, and writing it is part of the cost), else in memory.
   */
  ReceiptLog receiptLog(boolean durable) {
    return durable && dataSource != null
        ? JdbcReceiptLog.builder(dataSource).dialect(dialect()).tablePrefix(prefix).build()
        : InMemoryReceiptLog.create();
  }

  @Override
  public void close() {
    if (dataSource != null) {
      try (Connection c = dataSource.getConnection();
          Statement st = c.createStatement()) {
        for (String table :
            List.of(
                "entry",
                "history",
                "dedup",
                "poll_cursor",
                "receipt",
                "route_pause",
                "replay_job",
                "schema_version")) {
          st.execute("DROP TABLE IF EXISTS " + prefix + table);
        }
      } catch (SQLException e) {
        System.err.println(
            "could not drop the benchmark tables " + prefix + "*: " + e.getMessage());
      }
    }
    pools.forEach(HikariDataSource::close);
  }

  static boolean reachable(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
