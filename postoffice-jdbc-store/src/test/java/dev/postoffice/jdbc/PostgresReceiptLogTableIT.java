package dev.postoffice.jdbc;

/** {@link ReceiptLogTableCases} on PostgreSQL at 127.0.0.1:5432. */
class PostgresReceiptLogTableIT extends ReceiptLogTableCases {
  @Override
  TestDatabase open() {
    return TestDatabase.postgres();
  }
}
