package dev.postoffice.itsupport;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.jdbc.JdbcStatusStore;
import java.sql.SQLException;
import java.util.Objects;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One end-to-end test's share of the local PostgreSQL: a pool, tables under a prefix no other run
 * uses, and the JDBC store (migrated) and receipt log on them. Closing it drops the tables and
 * closes the pool.
 *
 * <p>Either open one with {@link #create(int)} (check {@link EndToEnd#assumePostgres()} first), or
 * register {@link #perClass(int)} on a static field with {@code @RegisterExtension}: it skips the
 * class unless PostgreSQL is reachable, opens before the class's first {@code @BeforeAll} and
 * closes after its last {@code @AfterAll}.
 */
public final class EndToEndDatabase implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  private final int poolSize;
  private ExtensionContext owner;
  private HikariDataSource dataSource;
  private String tables;
  private JdbcStatusStore store;
  private JdbcReceiptLog receipts;

  private EndToEndDatabase(int poolSize) {
    this.poolSize = poolSize;
  }

  /**
   * Opens a pool on the local PostgreSQL and migrates a new set of tables.
   *
   * @param poolSize the pool's maximum size
   * @return the database, its tables migrated
   */
  public static EndToEndDatabase create(int poolSize) {
    EndToEndDatabase database = new EndToEndDatabase(poolSize);
    database.open();
    return database;
  }

  /**
   * Describes a database for one test class, opened and closed by JUnit.
   *
   * @param poolSize the pool's maximum size
   * @return the extension, to register on a static field with {@code @RegisterExtension}
   */
  public static EndToEndDatabase perClass(int poolSize) {
    return new EndToEndDatabase(poolSize);
  }

  private void open() {
    HikariDataSource pool = EndToEnd.postgres(poolSize);
    String prefix = EndToEnd.tablePrefix();
    try {
      JdbcStatusStore migrated = JdbcStatusStore.builder(pool).tablePrefix(prefix).build();
      migrated.migrate();
      receipts = JdbcReceiptLog.builder(pool).tablePrefix(prefix).build();
      store = migrated;
    } catch (RuntimeException e) {
      // A migration that failed half-way leaves tables behind: drop them, as close() would.
      try {
        EndToEnd.dropTables(pool, prefix);
      } catch (SQLException dropFailed) {
        e.addSuppressed(dropFailed);
      } finally {
        pool.close();
      }
      throw e;
    }
    dataSource = pool;
    tables = prefix;
  }

  /**
   * @return the pool
   */
  public HikariDataSource dataSource() {
    return opened(dataSource);
  }

  /**
   * @return the prefix of this database's tables
   */
  public String tables() {
    return opened(tables);
  }

  /**
   * @return the JDBC store on this database's tables
   */
  public JdbcStatusStore store() {
    return opened(store);
  }

  /**
   * @return the Core App's receipt log on this database's tables
   */
  public JdbcReceiptLog receipts() {
    return opened(receipts);
  }

  private static <T> T opened(T value) {
    return Objects.requireNonNull(
        value, "the database is not open: create() it, or use it from a test");
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // JUnit calls a class's extensions for each of its @Nested classes too: open once, for the
    // outermost.
    if (owner != null) {
      return;
    }
    EndToEnd.assumePostgres();
    owner = context;
    open();
  }

  @Override
  public void afterAll(ExtensionContext context) throws SQLException {
    if (context == owner) {
      close();
    }
  }

  /** Drops the tables and closes the pool; nothing if it never opened. */
  @Override
  public void close() throws SQLException {
    if (dataSource == null) {
      return;
    }
    try {
      EndToEnd.dropTables(dataSource, tables);
    } finally {
      dataSource.close();
    }
  }
}
