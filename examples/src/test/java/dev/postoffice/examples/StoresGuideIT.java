package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.jdbc.JdbcClock;
import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.testkit.RequiredService;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code docs/stores.md quotes, on the local PostgreSQL. */
@DisplayName("The stores guide's code")
class StoresGuideIT {
  private static final List<String> TABLES =
      List.of("entry", "history", "dedup", "poll_cursor", "receipt", "schema_version");

  private final String prefix = "docs_" + UUID.randomUUID().toString().substring(0, 8) + "_";
  private HikariDataSource dataSource;
  private JdbcStatusStore store;
  private JdbcReceiptLog receipts;

  /** The Core App's own table, which its handler writes to in the receipt's transaction. */
  final class Orders {
    void insert(Connection connection, OrderLinePlaced line) throws SQLException {
      try (PreparedStatement insert =
          connection.prepareStatement("INSERT INTO " + prefix + "core_lines (id) VALUES (?)")) {
        insert.setString(1, line.partnerOrderId() + "/" + line.lineNumber());
        insert.executeUpdate();
      }
    }
  }

  private final Orders orders = new Orders();

  @BeforeEach
  void connect() {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
    // tag::dataSource[]
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(
        "jdbc:postgresql://127.0.0.1:5432/test?reWriteBatchedInserts=true"
            + "&connectTimeout=5&socketTimeout=60&tcpKeepAlive=true"); // see "Timeouts" below
    config.setUsername("postgres");
    config.setMaximumPoolSize(8);
    config.setConnectionTimeout(5_000); // HikariCP waits 30 s for a connection by default
    HikariDataSource dataSource = new HikariDataSource(config);

    JdbcStatusStore store =
        JdbcStatusStore.builder(dataSource)
            .dialect(JdbcDialect.POSTGRESQL) // optional: detected from the connection's metadata
            .tablePrefix(prefix) // optional: default "po_" (JdbcStoreBuilder.DEFAULT_TABLE_PREFIX)
            .clock(JdbcClock.DATABASE) // optional: the default (see "Several nodes")
            .statementTimeout(Duration.ofSeconds(30)) // optional: the default (see "Timeouts")
            .build();
    store.migrate();

    // The Core App receiver's log: the prefix its table was created with (here by migrate()).
    JdbcReceiptLog receipts = JdbcReceiptLog.builder(dataSource).tablePrefix(prefix).build();
    // end::dataSource[]
    this.dataSource = dataSource;
    this.store = store;
    this.receipts = receipts;
  }

  @AfterEach
  void dropTables() throws SQLException {
    if (dataSource == null) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      for (String table : TABLES) {
        st.execute("DROP TABLE IF EXISTS " + prefix + table);
      }
      st.execute("DROP TABLE IF EXISTS " + prefix + "core_lines");
    } finally {
      store.close();
      dataSource.close();
    }
  }

  @Test
  @DisplayName("runs a transactional handler once per message, in the receipt's transaction")
  void transactionalHandler() throws Exception {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE " + prefix + "core_lines (id VARCHAR(100) PRIMARY KEY)");
    }
    InMemoryTransport transport = InMemoryTransport.create();
    transport.declare("core.orders");
    OrderLinePlaced line = new OrderLinePlaced("acme", "A-1", 1, "SKU-1", 2);
    // tag::transactionalHandler[]
    CoreAppReceiver<OrderLinePlaced> receiver =
        CoreAppReceiver.builder(transport, receipts, OrderLinePlaced.class)
            .from("core.orders")
            .handler(
                Connection.class, (order, context, connection) -> orders.insert(connection, order))
            .build()
            .start();
    // end::transactionalHandler[]
    try (transport;
        receiver) {
      CoreAppSender sender = CoreAppSender.create(transport);
      sender.send("core.orders", "m-1", line).join();
      sender.send("core.orders", "m-1", line).join(); // redelivered: handled once

      await().atMost(Duration.ofSeconds(20)).until(() -> count("core_lines") == 1);
      assertThat(transport.awaitIdle(Duration.ofSeconds(20))).isTrue();
      assertThat(count("core_lines")).isEqualTo(1);
    }
  }

  private long count(String table) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + prefix + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @DisplayName("prints the schema with the prefix filled in")
  void writeSchema(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("V1__postoffice.sql");
    // tag::writeSchema[]
    try (Writer out = Files.newBufferedWriter(file)) { // such as Path.of("V1__postoffice.sql")
      store.writeSchema(out);
    }
    // end::writeSchema[]
    assertThat(Files.readString(file)).contains("CREATE TABLE").contains(prefix + "entry");
  }

  @Test
  @DisplayName("purges payloads and finished traces in small batches")
  void retention() {
    // tag::retention[]
    store.purgePayloadsBefore(Instant.now().minus(Duration.ofDays(30)), 500); // keeps history
    store.purgeFinishedTracesBefore(Instant.now().minus(Duration.ofDays(90)), 100); // all of it
    // end::retention[]
    assertThat(store.countByStatus()).isEmpty();
  }
}
