package dev.postoffice.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TimeoutConnectionTest {
  private Connection raw;
  private Connection timed;

  @BeforeEach
  void open() throws SQLException {
    raw = DriverManager.getConnection("jdbc:h2:mem:timeout-connection");
    timed = new TimeoutConnection(raw, 7);
  }

  @AfterEach
  void close() throws SQLException {
    raw.close();
  }

  @Test
  void everyStatementItMakesHasTheTimeout() throws SQLException {
    List<Statement> made =
        List.of(
            timed.prepareStatement("SELECT 1"),
            timed.prepareStatement("SELECT 1", Statement.NO_GENERATED_KEYS),
            timed.prepareStatement(
                "SELECT 1", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
            timed.prepareStatement(
                "SELECT 1",
                ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY,
                ResultSet.CLOSE_CURSORS_AT_COMMIT),
            timed.prepareStatement("SELECT 1", new int[] {1}),
            timed.prepareStatement("SELECT 1", new String[] {"X"}),
            timed.prepareCall("SELECT 1"),
            timed.prepareCall("SELECT 1", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
            timed.prepareCall(
                "SELECT 1",
                ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY,
                ResultSet.CLOSE_CURSORS_AT_COMMIT),
            timed.createStatement(),
            timed.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY),
            timed.createStatement(
                ResultSet.TYPE_FORWARD_ONLY,
                ResultSet.CONCUR_READ_ONLY,
                ResultSet.CLOSE_CURSORS_AT_COMMIT));

    for (Statement s : made) {
      assertThat(s.getQueryTimeout()).as(s.toString()).isEqualTo(7);
      assertThat(s.getConnection()).isSameAs(raw);
    }
  }

  @Test
  void everythingElseGoesToTheConnection() throws SQLException {
    timed.setAutoCommit(false);
    try (Statement s = timed.createStatement()) {
      s.execute("CREATE TABLE t (x INT)");
      s.execute("INSERT INTO t VALUES (1)");
    }
    timed.rollback();

    assertThat(raw.getAutoCommit()).isFalse();
    assertThat(timed.getMetaData().getDatabaseProductName()).isEqualTo("H2");
    try (ResultSet rs = raw.createStatement().executeQuery("SELECT COUNT(*) FROM t")) {
      rs.next();
      assertThat(rs.getInt(1)).isZero(); // the rollback went to the connection
    }
    timed.close();
    assertThat(raw.isClosed()).isTrue();
  }

  @Test
  void aStatementThatRefusesTheTimeoutIsClosedAndNotHandedOut() {
    AtomicBoolean closed = new AtomicBoolean();
    PreparedStatement refusing =
        (PreparedStatement)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {PreparedStatement.class},
                (proxy, method, args) -> {
                  switch (method.getName()) {
                    case "setQueryTimeout" -> throw new SQLException("no timeouts here");
                    case "close" -> closed.set(true);
                    default -> {}
                  }
                  return null;
                });
    Connection handsOutRefusing =
        (Connection)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {Connection.class},
                (proxy, method, args) ->
                    method.getName().equals("prepareStatement") ? refusing : null);

    assertThatThrownBy(
            () -> new TimeoutConnection(handsOutRefusing, 7).prepareStatement("SELECT 1"))
        .hasMessage("no timeouts here");
    assertThat(closed).isTrue();
  }
}
