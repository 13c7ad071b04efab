package dev.postoffice.reliability;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.jdbc.JdbcStatusStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One suite's share of the local services, as a JUnit extension on a static field: skips the suite
 * unless PostgreSQL and RabbitMQ are reachable, opens a direct pool, and picks a table prefix and a
 * queue prefix no other run uses. After the suite it closes what the suite {@link #opened} in
 * reverse order, then drops the tables, closes the pool and deletes the suite's queues.
 */
final class SuiteFixture implements BeforeAllCallback, AfterAllCallback {
  private final String poolName;
  private final int poolSize;
  private final String tables;
  private final String queues;
  private final List<String> destinations;
  private final List<AutoCloseable> open = new ArrayList<>();
  private HikariDataSource db;
  private ExtensionContext owner;

  private SuiteFixture(String suite, String poolName, int poolSize, List<String> destinations) {
    this.poolName = poolName;
    this.poolSize = poolSize;
    this.tables = Services.tablePrefix(suite);
    this.queues = Services.queuePrefix(suite);
    this.destinations = destinations;
  }

  /**
   * Describes a suite's fixture; the pool opens before the suite's first {@code @BeforeAll}.
   *
   * @param suite a short name, part of the prefixes
   * @param poolName the direct pool's name
   * @param poolSize the direct pool's size
   * @param destinations the destinations whose queues to delete at the end; none for a suite that
   *     declares no queues (then the broker is not touched at the end)
   * @return the fixture, to register with {@code @RegisterExtension}
   */
  static SuiteFixture of(String suite, String poolName, int poolSize, String... destinations) {
    return new SuiteFixture(suite, poolName, poolSize, List.of(destinations));
  }

  /**
   * @return the direct pool
   */
  HikariDataSource db() {
    return db;
  }

  /**
   * @return the suite's table prefix
   */
  String tables() {
    return tables;
  }

  /**
   * @return the suite's queue name prefix
   */
  String queues() {
    return queues;
  }

  /**
   * @return a new JDBC store on the direct pool and the suite's tables
   */
  JdbcStatusStore store() {
    return JdbcStatusStore.builder(db).tablePrefix(tables).build();
  }

  /**
   * @return a new receipt log on the direct pool and the suite's tables
   */
  JdbcReceiptLog receipts() {
    return JdbcReceiptLog.builder(db).tablePrefix(tables).build();
  }

  /** Closes the resource when the suite ends, before anything opened earlier. */
  <T extends AutoCloseable> T opened(T resource) {
    open.add(resource);
    return resource;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // JUnit calls a class's extensions for each of its @Nested classes too: open once, for the
    // outermost.
    if (owner != null) {
      return;
    }
    Services.assumeReachable();
    owner = context;
    db = Services.postgres(Services.POSTGRES_PORT, poolSize, poolName);
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (context != owner) {
      return;
    }
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (db != null) {
      Services.dropTables(db, tables);
      db.close();
      if (!destinations.isEmpty()) {
        Services.deleteQueues(queues, destinations);
      }
    }
  }
}
