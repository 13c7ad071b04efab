package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.spi.ReceiptLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The receipt log's statements: read and mark, one message or many. */
public final class ReceiptOps {
  private final Tables tables;
  private final Transactions tx;

  /**
   * PostgreSQL: analyzes the receipt table as it first grows (batch reads plan badly on a young
   * table).
   */
  private final YoungTableAnalyzer analyzer;

  /**
   * Creates the operations.
   *
   * @param tables the tables
   * @param tx the transaction runner
   */
  public ReceiptOps(Tables tables, Transactions tx) {
    this.tables = tables;
    this.tx = tx;
    this.analyzer =
        tables.dialect() == JdbcDialect.POSTGRESQL
            ? new YoungTableAnalyzer(tx, tables.receipt())
            : null;
  }

  /**
   * @param consumer the receiver @param messageId the message @return whether it was marked
   */
  public boolean isHandled(String consumer, String messageId) {
    String sql = "SELECT 1 FROM " + tables.receipt() + " WHERE consumer = ? AND message_id = ?";
    return tx.withHandle(
        "isHandled",
        h -> {
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
    if (tables.dialect() == JdbcDialect.POSTGRESQL) {
      // The batch mark's one autocommit statement (ON CONFLICT absorbs a concurrent mark of the
      // same id), so
      // single and batch marks share one prepared statement and one plan.
      markAllHandled(consumer, List.of(messageId), at);
      return;
    }
    // Insert if absent; a concurrent insert of the same key loses with a unique violation, the
    // retried
    // transaction then finds the row.
    String sql = insertIfAbsent();
    tx.inTransaction(
        "markHandled",
        true,
        h -> {
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

  /** The most ids one statement carries (parameter limits, statement size). */
  static final int CHUNK = 500;

  /**
   * Returns which of the ids are marked: one query per {@value #CHUNK} ids.
   *
   * @param consumer the receiver
   * @param messageIds the messages
   * @return the marked ones
   */
  public Set<String> handledAmong(String consumer, Collection<String> messageIds) {
    List<String> ids = List.copyOf(new LinkedHashSet<>(messageIds));
    Set<String> handled = new HashSet<>();
    // PostgreSQL: one array parameter, so every batch size shares one prepared statement (and one
    // plan).
    boolean pg = tables.dialect() == JdbcDialect.POSTGRESQL;
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      String sql =
          "SELECT message_id FROM "
              + tables.receipt()
              + " WHERE consumer = ? AND message_id "
              + (pg
                  ? "= ANY(?::varchar[])"
                  : "IN (" + String.join(", ", Collections.nCopies(chunk.size(), "?")) + ")");
      tx.withHandle(
          "handledAmong",
          h -> {
            try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
              ps.setString(1, consumer);
              if (pg) {
                ps.setArray(2, h.getConnection().createArrayOf("varchar", chunk.toArray()));
              } else {
                int p = 2;
                for (String id : chunk) {
                  ps.setString(p++, id);
                }
              }
              try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                  handled.add(rs.getString(1));
                }
              }
            }
            return null;
          });
    }
    return handled;
  }

  /**
   * Marks several messages handled: on PostgreSQL and MariaDB one autocommit statement per {@value
   * #CHUNK} ids, on H2 one transaction of batched inserts. Ids are written in sorted order, so two
   * receivers marking overlapping ids wait for each other instead of deadlocking.
   *
   * @param consumer the receiver
   * @param messageIds the messages
   * @param at when
   */
  public void markAllHandled(String consumer, Collection<String> messageIds, Instant at) {
    List<String> ids = List.copyOf(new TreeSet<>(messageIds));
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      if (tables.dialect() == JdbcDialect.POSTGRESQL) {
        String upsert =
            "INSERT INTO "
                + tables.receipt()
                + " (consumer, message_id, handled_at)"
                + " SELECT ?, m, ? FROM unnest(?::varchar[]) AS m ON CONFLICT (consumer, message_id) DO NOTHING";
        tx.statement(
            "markAllHandled",
            h -> {
              try (PreparedStatement ps = h.getConnection().prepareStatement(upsert)) {
                ps.setString(1, consumer);
                ps.setLong(2, Rows.nanos(at));
                ps.setArray(3, h.getConnection().createArrayOf("varchar", chunk.toArray()));
                return ps.executeUpdate();
              }
            });
        analyzer.inserted(chunk.size());
      } else if (tables.dialect() == JdbcDialect.MARIADB) {
        // One multi-row statement; a key already there keeps its row (MariaDB cannot batch INSERT
        // ... SELECT).
        String upsert =
            "INSERT INTO "
                + tables.receipt()
                + " (consumer, message_id, handled_at) VALUES "
                + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?)"))
                + " ON DUPLICATE KEY UPDATE handled_at = handled_at";
        tx.statement(
            "markAllHandled",
            h -> {
              try (PreparedStatement ps = h.getConnection().prepareStatement(upsert)) {
                int p = 1;
                for (String id : chunk) {
                  ps.setString(p++, consumer);
                  ps.setString(p++, id);
                  ps.setLong(p++, Rows.nanos(at));
                }
                return ps.executeUpdate();
              }
            });
      } else {
        String sql = insertIfAbsent();
        tx.inTransaction(
            "markAllHandled",
            true,
            h -> {
              try (PreparedStatement ps = h.getConnection().prepareStatement(sql)) {
                for (String id : chunk) {
                  ps.setString(1, consumer);
                  ps.setString(2, id);
                  ps.setLong(3, Rows.nanos(at));
                  ps.setString(4, consumer);
                  ps.setString(5, id);
                  ps.addBatch();
                }
                return ps.executeBatch().length;
              }
            });
      }
    }
  }

  /**
   * Runs work once for a message, in the transaction that marks it: claims the message id first
   * (its receipt row is inserted, or found), so a concurrent caller with the same id waits on that
   * row until this transaction ends and then finds it; runs the work with the transaction's
   * connection; commits both. Work that throws rolls back the claim with its own writes.
   *
   * @param consumer the receiver
   * @param messageId the message
   * @param at when
   * @param work the work
   * @return true if the work ran, false if the message was handled before
   * @throws Exception what the work threw
   */
  public boolean handleOnce(String consumer, String messageId, Instant at, ReceiptLog.Once work)
      throws Exception {
    String claim =
        switch (tables.dialect()) {
          case POSTGRESQL ->
              "INSERT INTO "
                  + tables.receipt()
                  + " (consumer, message_id, handled_at) VALUES (?, ?, ?)"
                  + " ON CONFLICT (consumer, message_id) DO NOTHING";
          // InnoDB makes a duplicate insert wait for the row's lock while the first transaction
          // runs.
          case MARIADB ->
              "INSERT IGNORE INTO "
                  + tables.receipt()
                  + " (consumer, message_id, handled_at)"
                  + " VALUES (?, ?, ?)";
          // H2: a concurrent insert of the same key fails with a unique violation; the transaction
          // is retried and
          // then finds the row (or inserts it, if the first was rolled back).
          default -> null;
        };
    try {
      return tx.inTransaction(
          "handleOnce",
          true,
          h -> {
            Connection c = h.getConnection();
            int claimed;
            try (PreparedStatement ps =
                c.prepareStatement(claim != null ? claim : insertIfAbsent())) {
              ps.setString(1, consumer);
              ps.setString(2, messageId);
              ps.setLong(3, Rows.nanos(at));
              if (claim == null) {
                ps.setString(4, consumer);
                ps.setString(5, messageId);
              }
              claimed = ps.executeUpdate();
            }
            if (claimed == 0) {
              return false; // handled before, and committed
            }
            try {
              work.run(c);
            } catch (Exception e) {
              throw new WorkFailed(e); // not the store's failure: no retry, passed on as it is
            }
            return true;
          });
    } catch (WorkFailed e) {
      throw (Exception) e.getCause();
    }
  }

  /** Carries the work's own exception out of the transaction (which rolls back). */
  private static final class WorkFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkFailed(Exception cause) {
      super(cause);
    }
  }

  private String insertIfAbsent() {
    return "INSERT INTO "
        + tables.receipt()
        + " (consumer, message_id, handled_at) SELECT ?, ?, ?"
        + (tables.dialect() == JdbcDialect.MARIADB ? " FROM DUAL" : "")
        + " WHERE NOT EXISTS (SELECT 1 FROM "
        + tables.receipt()
        + " WHERE consumer = ? AND message_id = ?)";
  }
}
