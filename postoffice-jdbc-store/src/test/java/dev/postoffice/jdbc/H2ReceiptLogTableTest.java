package dev.postoffice.jdbc;

/** {@link ReceiptLogTableCases} on embedded, in-memory H2. */
class H2ReceiptLogTableTest extends ReceiptLogTableCases {
  @Override
  TestDatabase open() {
    return TestDatabase.h2();
  }
}
