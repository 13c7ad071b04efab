package dev.postoffice.jdbc.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;

/** The receipt log's two statements. */
public final class ReceiptOps {
  private final Tables tables;
  private final Transactions tx;

  /**
   * Creates the operations.
   *
   * @param tables the tables
   * @param tx the transaction runner
   */
  public ReceiptOps(Tables tables, Transactions tx) {
    this.tables = tables;
    this.tx = tx;
  }

  /** @param consumer the receiver @param messageId the message @return whether it was marked */
  public boolean isHandled(String consumer, String messageId) {
    String sql = "SELECT 1 FROM " + tables.receipt() + " WHERE consumer = ? AND message_id = ?";
    return tx.withHandle("isHandled", h -> {
      try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
        ps.setString(1, consumer);
        ps.setString(2, messageId);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next();
        }
      }
    });
  }

  /**
   * Marks a message handled; a second mark (even a concurrent one) changes nothing.
   *
   * @param consumer the receiver
   * @param messageId the message
   * @param at when
   */
  public void markHandled(String consumer, String messageId, Instant at) {
    if (tables.dialect() == dev.postoffice.jdbc.JdbcDialect.POSTGRESQL) {
      // One statement in autocommit: one round trip, and ON CONFLICT absorbs a concurrent mark of the same id.
      String upsert = "INSERT INTO " + tables.receipt() + " (consumer, message_id, handled_at) VALUES (?, ?, ?)"
          + " ON CONFLICT (consumer, message_id) DO NOTHING";
      tx.statement("markHandled", h -> {
        try (PreparedStatement ps = h.getConnection().prepareStatement(upsert)) {
          ps.setString(1, consumer);
          ps.setString(2, messageId);
          ps.setLong(3, Rows.nanos(at));
          return ps.executeUpdate();
        }
      });
      return;
    }
    // Insert if absent; a concurrent insert of the same key loses with a unique violation, the retried
    // transaction then finds the row.
    String sql = "INSERT INTO " + tables.receipt() + " (consumer, message_id, handled_at) SELECT ?, ?, ?"
        + (tables.dialect() == dev.postoffice.jdbc.JdbcDialect.MARIADB ? " FROM DUAL" : "")
        + " WHERE NOT EXISTS (SELECT 1 FROM " + tables.receipt() + " WHERE consumer = ? AND message_id = ?)";
    tx.inTransaction("markHandled", true, h -> {
      try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
        ps.setString(1, consumer);
        ps.setString(2, messageId);
        ps.setLong(3, Rows.nanos(at));
        ps.setString(4, consumer);
        ps.setString(5, messageId);
        return ps.executeUpdate();
      }
    });
  }
}
