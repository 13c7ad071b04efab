package dev.postoffice.jdbc;

/** The JDBC store's own behaviour on embedded, in-memory H2. */
class H2JdbcStoreTest extends JdbcStoreBehaviour {
  @Override
  TestDatabase openDatabase() {
    return TestDatabase.h2();
  }
}
