package dev.postoffice.reliability;

import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * One suite's share of the local services: a direct pool on PostgreSQL, a table prefix and a queue prefix no
 * other run uses, and what the suite opened on top. Closing it closes those in reverse order, then drops the
 * tables, closes the pool and deletes the suite's queues.
 */
final class SuiteFixture implements AutoCloseable {
  private final HikariDataSource db;
  private final String tables;
  private final String queues;
  private final List<String> destinations;
  private final List<AutoCloseable> open = new ArrayList<>();

  private SuiteFixture(HikariDataSource db, String tables, String queues, List<String> destinations) {
    this.db = db;
    this.tables = tables;
    this.queues = queues;
    this.destinations = destinations;
  }

  /**
   * Opens the pool and picks the prefixes; check {@link Services#assumeReachable()} first.
   *
   * @param suite a short name, part of the prefixes
   * @param poolName the direct pool's name
   * @param poolSize the direct pool's size
   * @param destinations the destinations whose queues to delete at the end
   * @return the fixture
   */
  static SuiteFixture start(String suite, String poolName, int poolSize, String... destinations) {
    return new SuiteFixture(Services.postgres(Services.POSTGRES_PORT, poolSize, poolName),
        Services.tablePrefix(suite), Services.queuePrefix(suite), List.of(destinations));
  }

  /** @return the direct pool */
  HikariDataSource db() {
    return db;
  }

  /** @return the suite's table prefix */
  String tables() {
    return tables;
  }

  /** @return the suite's queue name prefix */
  String queues() {
    return queues;
  }

  /** Closes the resource when the suite ends, before anything opened earlier. */
  <T extends AutoCloseable> T opened(T resource) {
    open.add(resource);
    return resource;
  }

  @Override
  public void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    Services.dropTables(db, tables);
    db.close();
    Services.deleteQueues(queues, destinations);
  }
}
