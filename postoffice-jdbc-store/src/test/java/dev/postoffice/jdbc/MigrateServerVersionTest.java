package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.ConfigurationException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.UUID;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("migrate() on a MariaDB without SKIP LOCKED")
class MigrateServerVersionTest {
  @Test
  @DisplayName("is refused with a ConfigurationException naming the version, and creates nothing")
  void oldMariaDbRefused() throws SQLException {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    JdbcStatusStore store =
        JdbcStatusStore.builder(new ReportingAs(h2, "MariaDB", "10.5.8-MariaDB"))
            .dialect(JdbcDialect.MARIADB)
            .build();

    assertThatThrownBy(store::migrate)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining(
            "MariaDB 10.5.8 cannot run the JDBC store: it needs MariaDB 10.6 or later")
        .hasMessageContaining("'10.5.8-MariaDB'")
        .hasMessageContaining("[Hint: upgrade the server to MariaDB 10.6+");
    try (Connection c = h2.getConnection();
        ResultSet tables = c.getMetaData().getTables(null, null, "PO_%", null)) {
      assertThat(tables.next()).as("a table was created").isFalse();
    }
  }

  /** An H2 data source whose metadata names another server, as an old MariaDB would. */
  private record ReportingAs(DataSource delegate, String product, String version)
      implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      Connection real = delegate.getConnection();
      return (Connection)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Connection.class},
              (proxy, method, args) -> {
                if (method.getName().equals("getMetaData")) {
                  DatabaseMetaData meta = real.getMetaData();
                  return Proxy.newProxyInstance(
                      getClass().getClassLoader(),
                      new Class<?>[] {DatabaseMetaData.class},
                      (p, m, a) ->
                          switch (m.getName()) {
                            case "getDatabaseProductName" -> product;
                            case "getDatabaseProductVersion" -> version;
                            default -> invoke(m, meta, a);
                          });
                }
                return invoke(method, real, args);
              });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args)
        throws Throwable {
      try {
        return method.invoke(target, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
