package dev.postoffice.jdbc;

/** {@link ReceiptLogTableCases} on MariaDB at 127.0.0.1:3306. */
class MariaDbReceiptLogTableIT extends ReceiptLogTableCases {
  @Override
  TestDatabase open() {
    return TestDatabase.mariaDb();
  }
}
