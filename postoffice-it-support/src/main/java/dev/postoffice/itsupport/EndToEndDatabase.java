package dev.postoffice.itsupport;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.jdbc.JdbcReceiptLog;
import dev.postoffice.jdbc.JdbcStatusStore;
import java.sql.SQLException;

/**
 * One end-to-end test's share of the local PostgreSQL: a pool, tables under a prefix no other run uses, and
 * the JDBC store (migrated) and receipt log on them. Closing it drops the tables and closes the pool. Check
 * {@link EndToEnd#assumePostgres()} first.
 */
public final class EndToEndDatabase implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final String tables;
  private final JdbcStatusStore store;
  private final JdbcReceiptLog receipts;

  private EndToEndDatabase(HikariDataSource dataSource, String tables) {
    this.dataSource = dataSource;
    this.tables = tables;
    this.store = JdbcStatusStore.builder(dataSource).tablePrefix(tables).build();
    store.migrate();
    this.receipts = JdbcReceiptLog.builder(dataSource).tablePrefix(tables).build();
  }

  /**
   * Opens a pool on the local PostgreSQL and migrates a new set of tables.
   *
   * @param poolSize the pool's maximum size
   * @return the database, its tables migrated
   */
  public static EndToEndDatabase create(int poolSize) {
    HikariDataSource pool = EndToEnd.postgres(poolSize);
    String tables = EndToEnd.tablePrefix();
    try {
      return new EndToEndDatabase(pool, tables);
    } catch (RuntimeException e) {
      // A migration that failed half-way leaves tables behind: drop them, as close() would.
      try {
        EndToEnd.dropTables(pool, tables);
      } catch (SQLException dropFailed) {
        e.addSuppressed(dropFailed);
      } finally {
        pool.close();
      }
      throw e;
    }
  }

  /** @return the pool */
  public HikariDataSource dataSource() {
    return dataSource;
  }

  /** @return the prefix of this database's tables */
  public String tables() {
    return tables;
  }

  /** @return the JDBC store on this database's tables */
  public JdbcStatusStore store() {
    return store;
  }

  /** @return the Core App's receipt log on this database's tables */
  public JdbcReceiptLog receipts() {
    return receipts;
  }

  /** Drops the tables and closes the pool. */
  @Override
  public void close() throws SQLException {
    try {
      EndToEnd.dropTables(dataSource, tables);
    } finally {
      dataSource.close();
    }
  }
}
