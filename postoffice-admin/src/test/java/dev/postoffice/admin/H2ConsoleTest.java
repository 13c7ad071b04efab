package dev.postoffice.admin;

import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.spi.StatusStore;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;

@DisplayName("The console on the JDBC store, H2")
class H2ConsoleTest extends JdbcConsoleContract {
  @Override
  StatusStore createStore() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    JdbcStatusStore store = JdbcStatusStore.builder(ds).dialect(JdbcDialect.H2).build();
    store.migrate();
    return store;
  }

  @Override
  void dropStore() {
    // an in-memory database of its own: nothing is left behind
  }
}
