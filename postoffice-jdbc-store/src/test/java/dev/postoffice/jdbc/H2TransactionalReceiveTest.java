package dev.postoffice.jdbc;

/** {@link TransactionalReceiveCases} on embedded H2. */
class H2TransactionalReceiveTest extends TransactionalReceiveCases {
  @Override
  TestDatabase database() {
    return TestDatabase.h2();
  }
}
