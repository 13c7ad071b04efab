package dev.postoffice.jdbc;

/** The JDBC store's own behaviour on PostgreSQL at 127.0.0.1:5432. */
class PostgresJdbcStoreIT extends JdbcStoreBehaviour {
  @Override
  TestDatabase openDatabase() {
    return TestDatabase.postgres();
  }
}
