package dev.postoffice.jdbc;

/** The JDBC store's own behaviour on MariaDB at 127.0.0.1:3306. */
class MariaDbJdbcStoreIT extends JdbcStoreBehaviour {
  @Override
  TestDatabase openDatabase() {
    return TestDatabase.mariaDb();
  }
}
