package dev.postoffice.examples.coreapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.examples.AcmeApiStandIn;
import dev.postoffice.examples.AcmeRoutes;
import dev.postoffice.examples.AcmeTraffic;
import dev.postoffice.examples.model.ShipOrder;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.testkit.PipelineDriver;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The Core App side docs/core-app.md quotes, against the example's pipeline. */
@DisplayName("The Core App side of the example")
class CoreAppSideTest {
  private final InMemoryStatusStore store = InMemoryStatusStore.create();
  private final InMemoryTransport transport = InMemoryTransport.create();
  private final JdbcDataSource coreDb = new JdbcDataSource();
  private Pipeline pipeline;
  private CoreAppSide core;

  @BeforeEach
  void setUp() throws SQLException {
    coreDb.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    try (Connection c = coreDb.getConnection();
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE core_order_line (partner_order_id VARCHAR(64), line_number INT,"
              + " article VARCHAR(64), quantity INT, PRIMARY KEY (partner_order_id, line_number))");
    }
    JacksonCodec codec = JacksonCodec.create();
    pipeline =
        PostOffice.builder()
            .store(store)
            .transport(transport)
            .manualScheduling()
            .route(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()))
            .route(
                AcmeRoutes.shipments(
                    codec, AcmeApiStandIn.create(codec), RouteSettings.ofDefaults()))
            .build()
            .start();
    core = CoreAppSide.start(transport, coreDb);
  }

  @AfterEach
  void tearDown() {
    core.close();
    pipeline.close();
    transport.close();
  }

  @Test
  @DisplayName("writes each order line once in its own table and PostOffice sees it Acknowledged")
  void receivesAndAcknowledges() throws SQLException {
    pipeline
        .intake(AcmeRoutes.ORDERS)
        .submit(RawMessage.json(AcmeTraffic.orderJson("A-1", 2), "delivery-1"));
    PipelineDriver.of(pipeline, transport).drain();

    assertThat(count(AcmeRoutes.ORDERS, Layer.L4, Status.ACKNOWLEDGED)).isEqualTo(2);
    assertThat(rowsIn("core_order_line")).isEqualTo(2);
    assertThat(rowsIn("po_receipt")).as("one receipt per message").isEqualTo(2);
  }

  @Test
  @DisplayName("sends a shipment command that PostOffice stores once, even when sent twice")
  void sendsOnce() {
    ShipOrder command = new ShipOrder("S-1", "A-1", "Main St 1", "Springfield", 1);
    core.ship(command).join();
    core.ship(command).join(); // the outbox sends it again after a crash
    PipelineDriver.of(pipeline, transport).drain();

    assertThat(count(AcmeRoutes.SHIPMENTS, Layer.L4, Status.DUPLICATE)).isEqualTo(1);
    assertThat(count(AcmeRoutes.SHIPMENTS, Layer.L1, Status.DISPATCHED)).isEqualTo(1);
  }

  private long count(String route, Layer layer, Status status) {
    return pipeline.operations().stats().stream()
        .filter(c -> c.route().value().equals(route) && c.layer() == layer && c.status() == status)
        .mapToLong(StatusCount::count)
        .sum();
  }

  private int rowsIn(String table) throws SQLException {
    try (Connection c = coreDb.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
