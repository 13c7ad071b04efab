package dev.postoffice.jdbc;

import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.spi.ReceiptLog;
import dev.postoffice.testkit.ReceiptLogContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the {@link ReceiptLogContract} against {@link JdbcReceiptLog} on PostgreSQL at
 * 127.0.0.1:5432.
 */
class PostgresReceiptLogContractIT extends ReceiptLogContract {
  private static TestDatabase db;

  @BeforeAll
  static void migrate() {
    db = TestDatabase.postgres();
    JdbcReceiptLog.builder(db.dataSource).tablePrefix(db.prefix).build().migrate();
  }

  @AfterAll
  static void drop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Override
  protected ReceiptLog createLog() {
    return JdbcReceiptLog.builder(db.dataSource).tablePrefix(db.prefix).build();
  }
}
