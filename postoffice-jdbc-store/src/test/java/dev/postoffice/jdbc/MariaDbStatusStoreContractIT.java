package dev.postoffice.jdbc;

import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.store.StatusStoreContract;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the {@link StatusStoreContract} against {@link JdbcStatusStore} on MariaDB at
 * 127.0.0.1:3306.
 */
class MariaDbStatusStoreContractIT extends StatusStoreContract {
  private static TestDatabase db;

  @BeforeAll
  static void migrate() {
    db = TestDatabase.mariaDb();
    db.migratedStore();
  }

  @AfterAll
  static void drop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @Override
  protected StatusStore createStore() {
    // The suite moves a MutableClock; the tests of nodes whose clocks differ get a store on the
    // database's.
    return db.store(JdbcClock.ENGINE);
  }

  @Override
  protected void closeStore(StatusStore s) {
    s.close();
    db.clear();
  }

  @Override
  protected Optional<StatusStore> openSecondNode(StatusStore first) {
    return Optional.of(
        JdbcStatusStore.builder(db.anotherPool(2))
            .tablePrefix(db.prefix)
            .clock(JdbcClock.ENGINE)
            .build());
  }

  @Override
  protected Optional<StatusStore> openStoreOnItsOwnClock(StatusStore first) {
    return Optional.of(
        JdbcStatusStore.builder(db.anotherPool(2))
            .tablePrefix(db.prefix)
            .clock(JdbcClock.DATABASE)
            .build());
  }
}
