package dev.postoffice.jdbc;

/** {@link TransactionalReceiveCases} on PostgreSQL at 127.0.0.1:5432. */
class PostgresTransactionalReceiveIT extends TransactionalReceiveCases {
  @Override
  TestDatabase database() {
    return TestDatabase.postgres();
  }
}
