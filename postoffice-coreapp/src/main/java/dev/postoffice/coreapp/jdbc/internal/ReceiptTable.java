package dev.postoffice.coreapp.jdbc.internal;

import dev.postoffice.coreapp.jdbc.ReceiptLogDialect;
import dev.postoffice.spi.ReceiptLog;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The receipt table and every statement on it: create, read and mark, one message or many. The
 * table's name and columns are those PostOffice's JDBC store has always created ({@code
 * <prefix>receipt}: consumer, message_id, handled_at in epoch nanoseconds), so an existing table is
 * used as it is.
 */
public final class ReceiptTable {
  /** The most ids one statement carries (parameter limits, statement size). */
  static final int CHUNK = 500;

  private final ReceiptLogDialect dialect;
  private final String table;
  private final JdbcCalls calls;
  private final YoungTableAnalyzer analyzer;

  /**
   * Creates the statements.
   *
   * @param dialect the database's dialect
   * @param table the table's name, prefix included
   * @param calls the runner
   */
  public ReceiptTable(ReceiptLogDialect dialect, String table, JdbcCalls calls) {
    this.dialect = dialect;
    this.table = table;
    this.calls = calls;
    this.analyzer =
        dialect == ReceiptLogDialect.POSTGRESQL ? new YoungTableAnalyzer(calls, table) : null;
  }

  /**
   * Returns the statement that creates the table if it does not exist.
   *
   * @param dialect the database's dialect
   * @param table the table's name, prefix included
   * @return the DDL
   */
  public static String createTable(ReceiptLogDialect dialect, String table) {
    return "CREATE TABLE IF NOT EXISTS "
        + table
        + " (\n"
        + "  consumer   VARCHAR(100) NOT NULL,\n"
        + "  message_id VARCHAR(255) NOT NULL,\n"
        + "  handled_at BIGINT       NOT NULL,\n"
        + "  PRIMARY KEY (consumer, message_id)\n"
        + ")"
        + (dialect == ReceiptLogDialect.MARIADB
            ? " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin"
            : "");
  }

  /**
   * Creates the table unless it exists.
   *
   * @return true if it was created, false if it was there
   */
  public boolean create() {
    if (calls.tableExists()) {
      return false;
    }
    // Two nodes migrating at once: PostgreSQL may refuse the second CREATE with a unique
    // violation on its catalog; the retry then finds the table.
    calls.inTransaction(
        "create the receipt table",
        true,
        c -> {
          try (Statement st = c.createStatement()) {
            st.execute(createTable(dialect, table));
          }
          return null;
        });
    return true;
  }

  /**
   * Tells whether a message was marked.
   *
   * @param consumer the receiver
   * @param messageId the message
   * @return whether it was marked
   */
  public boolean isHandled(String consumer, String messageId) {
    String sql = "SELECT 1 FROM " + table + " WHERE consumer = ? AND message_id = ?";
    return calls.read(
        "isHandled",
        c -> {
          try (PreparedStatement ps = calls.prepare(c, sql)) {
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
    if (dialect == ReceiptLogDialect.POSTGRESQL) {
      // The batch mark's one statement (ON CONFLICT absorbs a concurrent mark of the same id):
      // single and batch marks share one prepared statement and one plan.
      markAllHandled(consumer, List.of(messageId), at);
      return;
    }
    // A concurrent insert of the same key loses with a unique violation; the retry finds the row.
    calls.inTransaction(
        "markHandled",
        true,
        c -> {
          try (PreparedStatement ps = calls.prepare(c, insertIfAbsent())) {
            bindInsertIfAbsent(ps, consumer, messageId, at);
            return ps.executeUpdate();
          }
        });
  }

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
    // PostgreSQL: one array parameter, so every batch size shares one prepared statement and plan.
    boolean pg = dialect == ReceiptLogDialect.POSTGRESQL;
    for (int from = 0; from < ids.size(); from += CHUNK) {
      List<String> chunk = ids.subList(from, Math.min(ids.size(), from + CHUNK));
      String sql =
          "SELECT message_id FROM "
              + table
              + " WHERE consumer = ? AND message_id "
              + (pg ? "= ANY(?::varchar[])" : "IN (" + placeholders(chunk.size()) + ")");
      calls.read(
          "handledAmong",
          c -> {
            try (PreparedStatement ps = calls.prepare(c, sql)) {
              ps.setString(1, consumer);
              if (pg) {
                ps.setObject(2, chunk.toArray(new String[0]));
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
      switch (dialect) {
        case POSTGRESQL -> {
          String upsert =
              "INSERT INTO "
                  + table
                  + " (consumer, message_id, handled_at) SELECT ?, m, ? FROM unnest(?::varchar[])"
                  + " AS m ON CONFLICT (consumer, message_id) DO NOTHING";
          calls.statement(
              "markAllHandled",
              c -> {
                try (PreparedStatement ps = calls.prepare(c, upsert)) {
                  ps.setString(1, consumer);
                  ps.setLong(2, nanos(at));
                  ps.setObject(3, chunk.toArray(new String[0]));
                  return ps.executeUpdate();
                }
              });
          analyzer.inserted(chunk.size());
        }
        case MARIADB -> {
          // One multi-row statement; a key already there keeps its row.
          String upsert =
              "INSERT INTO "
                  + table
                  + " (consumer, message_id, handled_at) VALUES "
                  + String.join(", ", Collections.nCopies(chunk.size(), "(?, ?, ?)"))
                  + " ON DUPLICATE KEY UPDATE handled_at = handled_at";
          calls.statement(
              "markAllHandled",
              c -> {
                try (PreparedStatement ps = calls.prepare(c, upsert)) {
                  int p = 1;
                  for (String id : chunk) {
                    ps.setString(p++, consumer);
                    ps.setString(p++, id);
                    ps.setLong(p++, nanos(at));
                  }
                  return ps.executeUpdate();
                }
              });
        }
        default ->
            calls.inTransaction(
                "markAllHandled",
                true,
                c -> {
                  try (PreparedStatement ps = calls.prepare(c, insertIfAbsent())) {
                    for (String id : chunk) {
                      bindInsertIfAbsent(ps, consumer, id, at);
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
   * (its row is inserted, or found), so a concurrent caller with the same id waits on that row
   * until this transaction ends and then finds it; runs the work with the transaction's connection;
   * commits both. Work that throws rolls back the claim with its own writes.
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
        switch (dialect) {
          case POSTGRESQL ->
              "INSERT INTO "
                  + table
                  + " (consumer, message_id, handled_at) VALUES (?, ?, ?)"
                  + " ON CONFLICT (consumer, message_id) DO NOTHING";
          // InnoDB makes a duplicate insert wait for the row's lock while the first one runs.
          case MARIADB ->
              "INSERT IGNORE INTO "
                  + table
                  + " (consumer, message_id, handled_at) VALUES (?, ?, ?)";
          // H2: a concurrent insert of the same key fails with a unique violation; the retried
          // transaction then finds the row (or inserts it, if the first was rolled back).
          case H2 -> null;
        };
    try {
      return calls.inTransaction(
          "handleOnce",
          true,
          c -> {
            int claimed;
            try (PreparedStatement ps =
                calls.prepare(c, claim != null ? claim : insertIfAbsent())) {
              if (claim != null) {
                ps.setString(1, consumer);
                ps.setString(2, messageId);
                ps.setLong(3, nanos(at));
              } else {
                bindInsertIfAbsent(ps, consumer, messageId, at);
              }
              claimed = ps.executeUpdate();
            }
            if (claimed == 0) {
              return false; // handled before, and committed
            }
            runWork(work, c);
            return true;
          });
    } catch (WorkFailed e) {
      throw (Exception) e.getCause();
    }
  }

  private static void runWork(ReceiptLog.Once work, Connection c) {
    try {
      work.run(c);
    } catch (Exception e) {
      throw new WorkFailed(e); // the work's own failure: no retry, passed on as it is
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
        + table
        + " (consumer, message_id, handled_at) SELECT ?, ?, ?"
        + (dialect == ReceiptLogDialect.MARIADB ? " FROM DUAL" : "")
        + " WHERE NOT EXISTS (SELECT 1 FROM "
        + table
        + " WHERE consumer = ? AND message_id = ?)";
  }

  private static void bindInsertIfAbsent(
      PreparedStatement ps, String consumer, String messageId, Instant at)
      throws java.sql.SQLException {
    ps.setString(1, consumer);
    ps.setString(2, messageId);
    ps.setLong(3, nanos(at));
    ps.setString(4, consumer);
    ps.setString(5, messageId);
  }

  private static String placeholders(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** Epoch nanoseconds, clamped (as the JDBC store writes its times). */
  private static long nanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }
}
