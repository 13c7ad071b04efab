package dev.postoffice.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A DataSource that can go down (no connections) or drop a connection for real at the moment a
 * transaction commits: the server kills the session (PostgreSQL {@code pg_terminate_backend},
 * MariaDB {@code KILL}), so the commit fails with a genuine I/O error and the server rolls the
 * transaction back. In autocommit (the one-statement operations on PostgreSQL), the session is
 * killed as the data-changing statement executes.
 */
final class FlakyDataSource implements DataSource {
  private final DataSource delegate;
  private final JdbcDialect dialect;
  volatile boolean down;
  volatile boolean dropOnCommit;

  FlakyDataSource(DataSource delegate, JdbcDialect dialect) {
    this.delegate = delegate;
    this.dialect = dialect;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (down) {
      throw new SQLTransientConnectionException("Connection refused (simulated outage)", "08001");
    }
    Connection real = delegate.getConnection();
    return (Connection)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {Connection.class},
            (proxy, method, args) -> {
              if (method.getName().equals("commit") && dropOnCommit) {
                kill(real);
              }
              if (method.getName().equals("prepareStatement")
                  && dropOnCommit
                  && real.getAutoCommit()
                  && isWrite((String) args[0])) {
                // Autocommit (PostgreSQL's one-statement operations): executing the statement is
                // the commit.
                PreparedStatement ps = (PreparedStatement) method.invoke(real, args);
                return Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {PreparedStatement.class},
                    (p, m, a) -> {
                      if (m.getName().startsWith("execute")) {
                        kill(real);
                      }
                      try {
                        return m.invoke(ps, a);
                      } catch (InvocationTargetException e) {
                        throw e.getCause();
                      }
                    });
              }
              try {
                return method.invoke(real, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static boolean isWrite(String sql) {
    String s = sql.stripLeading().toUpperCase(java.util.Locale.ROOT);
    return s.startsWith("WITH")
        || s.startsWith("UPDATE")
        || s.startsWith("INSERT")
        || s.startsWith("DELETE");
  }

  private void kill(Connection victim) throws SQLException {
    if (dialect == JdbcDialect.H2) {
      victim.close(); // an embedded database has no session to kill; closing loses the transaction
      // the same way
      throw new SQLException("connection lost (simulated)", "08006");
    }
    String idQuery =
        dialect == JdbcDialect.POSTGRESQL ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()";
    long id;
    try (Statement st = victim.createStatement();
        var rs = st.executeQuery(idQuery)) {
      rs.next();
      id = rs.getLong(1);
    }
    try (Connection admin = delegate.getConnection();
        Statement st = admin.createStatement()) {
      st.execute(
          dialect == JdbcDialect.POSTGRESQL
              ? "SELECT pg_terminate_backend(" + id + ")"
              : "KILL " + id);
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return getConnection();
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return delegate.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    delegate.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    delegate.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return delegate.getLoginTimeout();
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
