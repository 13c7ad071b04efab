package dev.postoffice.examples.coreapp;

import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.examples.model.ShipOrder;
import dev.postoffice.spi.Transport;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * What a Core App writes to trade messages with PostOffice, using only the classes of
 * postoffice-coreapp and a transport: it receives the order lines the upstream route publishes to
 * {@code core.orders}, writes each to its own {@code core_order_line} table in the transaction that
 * records the receipt, and sends shipment commands to {@code core.shipments}.
 */
public final class CoreAppSide implements AutoCloseable {
  /** The queue PostOffice's upstream route publishes order lines to. */
  public static final String ORDERS_QUEUE = "core.orders";

  /** The queue PostOffice's downstream route consumes shipment commands from. */
  public static final String SHIPMENTS_QUEUE = "core.shipments";

  private final CoreAppReceiver<OrderLinePlaced> receiver;
  private final CoreAppSender sender;

  private CoreAppSide(CoreAppReceiver<OrderLinePlaced> receiver, CoreAppSender sender) {
    this.receiver = receiver;
    this.sender = sender;
  }

  /**
   * Migrates the receipt table, then starts receiving.
   *
   * @param transport the broker PostOffice publishes on (RabbitTransport, SqsTransport, …)
   * @param dataSource the Core App's own database, where its {@code core_order_line} table is
   * @return the running side
   */
  public static CoreAppSide start(Transport transport, DataSource dataSource) {
    // tag::receipts[]
    JdbcReceiptLog receipts =
        JdbcReceiptLog.builder(dataSource) // the Core App's own database
            .tablePrefix("po_") // the default; it must be the prefix the table was migrated with
            .build();
    receipts.migrate(); // creates po_receipt if it is missing, and no other table
    // end::receipts[]
    // tag::receiver[]
    CoreAppReceiver<OrderLinePlaced> receiver =
        CoreAppReceiver.builder(transport, receipts, OrderLinePlaced.class)
            .from(ORDERS_QUEUE) // the queue the upstream route publishes to
            .handler(Connection.class, (line, context, connection) -> insert(connection, line))
            .build()
            .start(); // fails at once if po_receipt does not exist
    // end::receiver[]
    // tag::sender[]
    CoreAppSender sender = CoreAppSender.create(transport);
    // end::sender[]
    return new CoreAppSide(receiver, sender);
  }

  /**
   * Sends a shipment command; sending it again (after a crash, from an outbox) is safe.
   *
   * @param command the command
   * @return completes when the broker has it
   */
  public CompletableFuture<Void> ship(ShipOrder command) {
    // tag::send[]
    // The id is stable (the outbox row's, here the shipment's): PostOffice stores a repeat as
    // Duplicate.
    return sender.send(SHIPMENTS_QUEUE, command.shipmentId(), command);
    // end::send[]
  }

  /** The core's own write, in the receipt log's transaction: both commit, or neither. */
  private static void insert(Connection connection, OrderLinePlaced line) throws SQLException {
    try (PreparedStatement ps =
        connection.prepareStatement(
            "INSERT INTO core_order_line (partner_order_id, line_number, article, quantity)"
                + " VALUES (?, ?, ?, ?)")) {
      ps.setString(1, line.partnerOrderId());
      ps.setInt(2, line.lineNumber());
      ps.setString(3, line.article());
      ps.setInt(4, line.quantity());
      ps.executeUpdate();
    }
  }

  /** Stops receiving; a message being handled finishes first. */
  @Override
  public void close() {
    receiver.close();
  }
}
