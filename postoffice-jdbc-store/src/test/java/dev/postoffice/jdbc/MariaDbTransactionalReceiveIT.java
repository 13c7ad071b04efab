package dev.postoffice.jdbc;

/** {@link TransactionalReceiveCases} on MariaDB at 127.0.0.1:3306. */
class MariaDbTransactionalReceiveIT extends TransactionalReceiveCases {
  @Override
  TestDatabase database() {
    return TestDatabase.mariaDb();
  }
}
