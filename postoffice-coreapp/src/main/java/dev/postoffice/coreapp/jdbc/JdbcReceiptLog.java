package dev.postoffice.coreapp.jdbc;

import dev.postoffice.ConfigurationException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.coreapp.jdbc.internal.JdbcCalls;
import dev.postoffice.coreapp.jdbc.internal.ReceiptTable;
import dev.postoffice.spi.ReceiptLog;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * A durable {@link ReceiptLog} on the Core App's own database (PostgreSQL, MariaDB/MySQL, H2), over
 * plain JDBC: the Core App receiver's dedup by message id. Its one table is {@code <prefix>receipt}
 * ({@link Builder#tablePrefix}, default {@value #DEFAULT_TABLE_PREFIX}); {@link #migrate()} creates
 * that table and nothing else. The table's name and columns are the ones PostOffice's JDBC store
 * creates, so a Core App that shares the store's database and prefix uses the table already there.
 *
 * <p>Its {@link #handleOnce} runs the receiver's handler inside the transaction that marks the
 * receipt (see {@code CoreAppReceiver.Builder#handler(Class, TransactionalMessageHandler)}): the
 * default way to receive, effectively once even when the Core App is killed between its handler and
 * the mark.
 *
 * <p>The prefix must be the one the table was created with: {@code CoreAppReceiver.start()} calls
 * {@link #verify()}, which fails with a {@link ConfigurationException} naming the table if it does
 * not exist.
 *
 * <pre>{@code
 * JdbcReceiptLog receipts = JdbcReceiptLog.builder(dataSource).tablePrefix("po_").build();
 * receipts.migrate(); // creates po_receipt if it is missing, and nothing else
 * }</pre>
 *
 * <p>This class is thread-safe.
 */
public final class JdbcReceiptLog implements ReceiptLog {
  /** The default table prefix, the one PostOffice's JDBC store uses too. */
  public static final String DEFAULT_TABLE_PREFIX = "po_";

  /** The longest table prefix accepted. */
  public static final int MAX_PREFIX_LENGTH = 30;

  /** The default statement timeout: 30 seconds. */
  public static final Duration DEFAULT_STATEMENT_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern PREFIX = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Duration MAX_TIMEOUT = Duration.ofHours(24);

  private final ReceiptLogDialect dialect;
  private final String table;
  private final JdbcCalls calls;
  private final ReceiptTable receipts;

  private JdbcReceiptLog(
      DataSource dataSource, ReceiptLogDialect dialect, String table, Duration timeout) {
    this.dialect = dialect;
    this.table = table;
    this.calls = new JdbcCalls(dataSource, dialect, table, timeout);
    this.receipts = new ReceiptTable(dialect, table, calls);
  }

  /**
   * Starts a builder on the Core App's {@code DataSource} (a pool, such as HikariCP, in
   * production).
   *
   * @param dataSource the database
   * @return a new builder
   * @throws NullPointerException if dataSource is null
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource cannot be null"));
  }

  /**
   * Creates the receipt table if it does not exist; creates nothing else. Safe to call on every
   * start, from several nodes at once.
   *
   * @return true if it created the table, false if the table was there
   * @throws StoreUnavailableException if the database cannot be reached
   */
  public boolean migrate() {
    return receipts.create();
  }

  /**
   * Returns the SQL that creates the table, for a host that runs its own migrations (Flyway,
   * Liquibase) instead of {@link #migrate()}.
   *
   * @return one {@code CREATE TABLE IF NOT EXISTS} statement in this log's dialect
   */
  public String schema() {
    return ReceiptTable.createTable(dialect, table);
  }

  /**
   * Returns the table's name, prefix included.
   *
   * @return such as {@code "po_receipt"}
   */
  public String tableName() {
    return table;
  }

  /**
   * Returns the dialect it speaks.
   *
   * @return the dialect
   */
  public ReceiptLogDialect dialect() {
    return dialect;
  }

  /**
   * Checks that the receipt table exists.
   *
   * @throws ConfigurationException if it does not: the message names the table and says to call
   *     {@link #migrate()} or to use the table prefix it was migrated with
   * @throws StoreUnavailableException if the database cannot be reached
   */
  @Override
  public void verify() {
    if (!calls.tableExists()) {
      throw new ConfigurationException(List.of("JdbcReceiptLog: " + calls.missingTable()));
    }
  }

  @Override
  public boolean isHandled(String consumer, String messageId) {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    Objects.requireNonNull(messageId, "messageId cannot be null");
    return receipts.isHandled(consumer, messageId);
  }

  @Override
  public void markHandled(String consumer, String messageId, Instant at) {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    Objects.requireNonNull(messageId, "messageId cannot be null");
    Objects.requireNonNull(at, "at cannot be null");
    receipts.markHandled(consumer, messageId, at);
  }

  @Override
  public Set<String> handledAmong(String consumer, Collection<String> messageIds) {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    checkIds(messageIds);
    return receipts.handledAmong(consumer, messageIds);
  }

  @Override
  public void markAllHandled(String consumer, Collection<String> messageIds, Instant at) {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    checkIds(messageIds);
    Objects.requireNonNull(at, "at cannot be null");
    receipts.markAllHandled(consumer, messageIds, at);
  }

  /**
   * Runs work once for a message, in the transaction that marks it handled: claims the message id
   * first (a second caller with the same id, in this process or another, waits for the first
   * transaction and then skips the work), runs the work with the transaction's {@link Connection},
   * and commits both. If the work throws, or the process dies before the commit, neither its writes
   * through the connection nor the mark remain. A transaction the database aborts (deadlock,
   * serialization failure) is run again, work included.
   *
   * @param consumer the receiver's name
   * @param messageId the message id
   * @param at when it is handled
   * @param work the work; it gets a {@link Connection} it must not commit, roll back or close
   * @return true if the work ran, false if the message was handled before
   * @throws Exception what the work threw (nothing is marked)
   */
  @Override
  public boolean handleOnce(String consumer, String messageId, Instant at, Once work)
      throws Exception {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    Objects.requireNonNull(messageId, "messageId cannot be null");
    Objects.requireNonNull(at, "at cannot be null");
    Objects.requireNonNull(work, "work cannot be null");
    return receipts.handleOnce(consumer, messageId, at, work);
  }

  /**
   * Tells what {@link #handleOnce} gives its work.
   *
   * @return {@link Connection}
   */
  @Override
  public Class<?> transactionType() {
    return Connection.class;
  }

  @Override
  public String toString() {
    return "JdbcReceiptLog[" + dialect + ", table=" + table + "]";
  }

  private static void checkIds(Collection<String> messageIds) {
    Objects.requireNonNull(messageIds, "messageIds cannot be null");
    for (String id : messageIds) {
      Objects.requireNonNull(id, "messageIds cannot contain null");
    }
  }

  /** Builds a {@link JdbcReceiptLog}. Not thread-safe; {@link #build()} fixes the settings. */
  public static final class Builder {
    private final DataSource dataSource;
    private ReceiptLogDialect dialect;
    private String tablePrefix = DEFAULT_TABLE_PREFIX;
    private Duration statementTimeout = DEFAULT_STATEMENT_TIMEOUT;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * Sets the database's dialect. Defaults to the one detected from the connection's metadata at
     * {@link #build()}.
     *
     * @param value the dialect
     * @return this builder
     * @throws NullPointerException if value is null
     */
    public Builder dialect(ReceiptLogDialect value) {
      this.dialect = Objects.requireNonNull(value, "dialect cannot be null");
      return this;
    }

    /**
     * Sets the prefix of the table's name: the table is {@code <prefix>receipt}. It must be the
     * prefix the table was created with ({@link #migrate()} with the same prefix, or PostOffice's
     * {@code JdbcStatusStore} with the same prefix on the same database); {@code
     * CoreAppReceiver.start()} fails if that table does not exist. Defaults to {@value
     * #DEFAULT_TABLE_PREFIX}.
     *
     * @param value lower-case letters, digits and underscores, not starting with a digit, at most
     *     {@value #MAX_PREFIX_LENGTH} characters
     * @return this builder
     * @throws IllegalArgumentException if the prefix is not valid
     */
    public Builder tablePrefix(String value) {
      Objects.requireNonNull(value, "tablePrefix cannot be null");
      if (value.length() > MAX_PREFIX_LENGTH || !PREFIX.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "tablePrefix must match [a-z_][a-z0-9_]* and be at most "
                + MAX_PREFIX_LENGTH
                + " characters, but was '"
                + value
                + "'");
      }
      this.tablePrefix = value;
      return this;
    }

    /**
     * Sets how long one statement may run before it is cancelled and the call fails with a
     * retryable {@link StoreUnavailableException} (whole seconds, rounded up); a connection that
     * gets no answer for twice as long is given up too. Defaults to 30 seconds.
     *
     * @param value between 1 second and 24 hours
     * @return this builder
     * @throws IllegalArgumentException if the timeout is out of bounds
     */
    public Builder statementTimeout(Duration value) {
      Objects.requireNonNull(value, "statementTimeout cannot be null");
      if (value.compareTo(Duration.ofSeconds(1)) < 0 || value.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "statementTimeout must be between 1 second and "
                + MAX_TIMEOUT.toHours()
                + " hours, but was "
                + value);
      }
      this.statementTimeout = value;
      return this;
    }

    /**
     * Builds the log. Without {@link #dialect}, opens one connection to detect it.
     *
     * @return the log
     * @throws StoreUnavailableException if the database cannot be reached to detect the dialect
     * @throws IllegalArgumentException if the database is not supported
     */
    public JdbcReceiptLog build() {
      ReceiptLogDialect chosen = dialect != null ? dialect : detect(dataSource);
      return new JdbcReceiptLog(dataSource, chosen, tablePrefix + "receipt", statementTimeout);
    }

    private static ReceiptLogDialect detect(DataSource dataSource) {
      String product;
      try (Connection c = dataSource.getConnection()) {
        product = c.getMetaData().getDatabaseProductName();
      } catch (SQLException e) {
        throw new StoreUnavailableException(
            "JDBC receipt log: could not detect the database ("
                + e.getClass().getSimpleName()
                + ": "
                + e.getMessage()
                + ") [Hint: set it with JdbcReceiptLog.builder(dataSource).dialect(...)]",
            e);
      }
      return ReceiptLogDialect.fromProductName(product);
    }
  }
}
