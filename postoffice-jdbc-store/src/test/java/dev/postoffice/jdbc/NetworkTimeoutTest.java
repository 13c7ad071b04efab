package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.EntryId;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * While the store uses a connection, a connection that gets no answer is given up after twice the
 * statement timeout (JDBC network timeout), unless the host set a shorter one, and the host's
 * setting comes back after (issue 16, defect 7).
 */
class NetworkTimeoutTest {
  /** The network timeouts the store set, in order. */
  private final List<Integer> set = new CopyOnWriteArrayList<>();

  /**
   * A DataSource over in-memory H2 whose connections report {@code initial} as their network
   * timeout.
   */
  private DataSource recording(int initial) {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    return new DataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        Connection real = h2.getConnection();
        int[] timeout = {initial};
        return (Connection)
            Proxy.newProxyInstance(
                Connection.class.getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("getNetworkTimeout")) {
                    return timeout[0];
                  }
                  if (method.getName().equals("setNetworkTimeout")) {
                    timeout[0] = (Integer) args[1];
                    set.add(timeout[0]);
                    return null;
                  }
                  try {
                    return method.invoke(real, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
      }

      @Override
      public Connection getConnection(String user, String password) throws SQLException {
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
      public Logger getParentLogger() {
        return Logger.getGlobal();
      }

      @Override
      public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
      }

      @Override
      public boolean isWrapperFor(Class<?> iface) {
        return false;
      }
    };
  }

  @Test
  @DisplayName(
      "a connection without a network timeout gets twice the statement timeout, then its own back")
  void setAndRestored() {
    JdbcStatusStore store =
        JdbcStatusStore.builder(recording(0))
            .dialect(JdbcDialect.H2)
            .statementTimeout(Duration.ofSeconds(3))
            .build();
    store.migrate();
    set.clear();
    store.find(EntryId.random());
    assertThat(set).containsExactly(6000, 0);
  }

  @Test
  @DisplayName("a connection whose own network timeout is shorter keeps it")
  void shorterKept() {
    JdbcStatusStore store =
        JdbcStatusStore.builder(recording(2000))
            .dialect(JdbcDialect.H2)
            .statementTimeout(Duration.ofSeconds(3))
            .build();
    store.migrate();
    set.clear();
    store.find(EntryId.random());
    assertThat(set).isEmpty();
  }
}
