package dev.postoffice.admin;

import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.RequiredService;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.postgresql.ds.PGSimpleDataSource;

@DisplayName("The console on the JDBC store, PostgreSQL")
class PostgresConsoleIT extends JdbcConsoleContract {
  private final String prefix = "adm" + UUID.randomUUID().toString().substring(0, 8) + "_";
  private PGSimpleDataSource ds;

  @Override
  StatusStore createStore() {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
    ds = new PGSimpleDataSource();
    ds.setURL("jdbc:postgresql://127.0.0.1:5432/test");
    ds.setUser("postgres");
    JdbcStatusStore store =
        JdbcStatusStore.builder(ds).dialect(JdbcDialect.POSTGRESQL).tablePrefix(prefix).build();
    store.migrate();
    return store;
  }

  @Override
  void dropStore() {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          st.executeQuery(
              "SELECT table_name FROM information_schema.tables WHERE table_name LIKE '"
                  + prefix
                  + "%'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        st.execute("DROP TABLE IF EXISTS " + t + " CASCADE");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot drop the test's tables " + prefix + "*", e);
    }
  }
}
