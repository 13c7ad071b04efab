package dev.postoffice.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.testkit.RequiredService;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * A database for one test class: a pool, and a table prefix no other run uses. {@link #close()}
 * drops the tables and closes the pool.
 */
final class TestDatabase implements AutoCloseable {
  static final String POSTGRES_URL =
      "jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true";
  static final String MARIADB_URL = "jdbc:mariadb://127.0.0.1:3306/test";

  private static final List<String> TABLES =
      List.of(
          "entry",
          "history",
          "dedup",
          "poll_cursor",
          "receipt",
          "route_pause",
          "replay_job",
          "schema_version");

  final JdbcDialect dialect;
  final String prefix;
  final DataSource dataSource;
  private final List<HikariDataSource> pools = new ArrayList<>();

  private TestDatabase(JdbcDialect dialect, DataSource dataSource) {
    this(
        dialect,
        dataSource,
        "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_");
  }

  /**
   * A view of the same database under another prefix; closing it is not needed, see {@link
   * #dropTables}.
   */
  TestDatabase(JdbcDialect dialect, DataSource dataSource, String prefix) {
    this.dialect = dialect;
    this.prefix = prefix;
    this.dataSource = dataSource;
  }

  /** Drops this prefix's tables. */
  void dropTables() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      for (String table : TABLES) {
        st.execute("DROP TABLE IF EXISTS " + prefix + table);
      }
    }
  }

  /** An in-memory H2 database of its own. */
  static TestDatabase h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return new TestDatabase(JdbcDialect.H2, ds);
  }

  /** PostgreSQL at 127.0.0.1:5432 (skips or fails the test if it is not reachable). */
  static TestDatabase postgres() {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
    return new TestDatabase(JdbcDialect.POSTGRESQL, newPool(POSTGRES_URL, "postgres", 8));
  }

  /** MariaDB at 127.0.0.1:3306 (skips or fails the test if it is not reachable). */
  static TestDatabase mariaDb() {
    RequiredService.assumeReachable("MariaDB", "127.0.0.1", 3306);
    return new TestDatabase(JdbcDialect.MARIADB, newPool(MARIADB_URL, "root", 8));
  }

  /** Opens another pool on the same database, closed with this one (another "node"). */
  HikariDataSource anotherPool(int size) {
    if (dialect == JdbcDialect.H2) {
      throw new IllegalStateException("H2 in memory has no second node");
    }
    HikariDataSource pool =
        dialect == JdbcDialect.POSTGRESQL
            ? newPool(POSTGRES_URL, "postgres", size)
            : newPool(MARIADB_URL, "root", size);
    pools.add(pool);
    return pool;
  }

  static HikariDataSource newPool(String url, String user, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(5000);
    return new HikariDataSource(config);
  }

  JdbcStatusStore store() {
    return JdbcStatusStore.builder(dataSource).tablePrefix(prefix).build();
  }

  JdbcStatusStore store(JdbcClock clock) {
    return JdbcStatusStore.builder(dataSource).tablePrefix(prefix).clock(clock).build();
  }

  JdbcStatusStore migratedStore() {
    JdbcStatusStore store = store();
    store.migrate();
    return store;
  }

  /** Deletes every row, so the next test starts empty (release() counts across routes). */
  void clear() {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      for (String table : TABLES.subList(0, TABLES.size() - 1)) {
        st.execute("DELETE FROM " + prefix + table);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot clear the test tables", e);
    }
  }

  @Override
  public void close() throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      if (dialect == JdbcDialect.H2) {
        st.execute("SHUTDOWN");
      } else {
        dropTables();
      }
    } finally {
      pools.forEach(HikariDataSource::close);
      if (dataSource instanceof HikariDataSource pool) {
        pool.close();
      }
    }
  }
}
