package dev.postoffice.jdbc;

import dev.postoffice.jdbc.internal.Migrator;
import dev.postoffice.jdbc.internal.ReceiptOps;
import dev.postoffice.jdbc.internal.Transactions;
import dev.postoffice.spi.ReceiptLog;
import java.sql.Connection;
import java.time.Instant;
import java.util.Collection;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A durable {@link ReceiptLog} in the same database and under the same table prefix as {@link
 * JdbcStatusStore} (table {@code <prefix>receipt}, created by the same migration), for the Core App
 * receiver's dedup by message id. Its {@link #handleOnce} runs the receiver's handler inside the
 * transaction that marks the receipt (see {@code CoreAppReceiver.Builder#handler(Class,
 * TransactionalMessageHandler)}): the default way to receive, effectively once even when the Core
 * App is killed between its handler and the mark.
 *
 * <pre>{@code
 * JdbcReceiptLog receipts = JdbcReceiptLog.builder(dataSource).build();
 * receipts.migrate(); // or JdbcStatusStore#migrate(), which creates the same tables
 * }</pre>
 *
 * <p>This class is thread-safe.
 */
public final class JdbcReceiptLog implements ReceiptLog {
  private final Migrator migrator;
  private final ReceiptOps ops;

  private JdbcReceiptLog(JdbcStatusStore.Config config) {
    Transactions tx =
        new Transactions(config.jdbi(), config.tables().dialect(), config.statementTimeout());
    this.migrator = new Migrator(config.tables(), tx);
    this.ops = new ReceiptOps(config.tables(), tx);
  }

  /**
   * Starts a builder on the host's {@code DataSource}.
   *
   * @param dataSource the database
   * @return a new builder
   * @throws NullPointerException if dataSource is null
   */
  public static JdbcStoreBuilder<JdbcReceiptLog> builder(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource cannot be null");
    return new JdbcStoreBuilder<>(Jdbi.create(dataSource), JdbcReceiptLog::new);
  }

  /**
   * Starts a builder on a {@link Jdbi} the host already configured.
   *
   * @param jdbi the database
   * @return a new builder
   * @throws NullPointerException if jdbi is null
   */
  public static JdbcStoreBuilder<JdbcReceiptLog> builder(Jdbi jdbi) {
    Objects.requireNonNull(jdbi, "jdbi cannot be null");
    return new JdbcStoreBuilder<>(jdbi, JdbcReceiptLog::new);
  }

  /**
   * Creates or upgrades the tables, exactly as {@link JdbcStatusStore#migrate()}.
   *
   * @return how many schema versions were applied
   * @throws dev.postoffice.ConfigurationException if the server is a MariaDB before 10.6 or a MySQL
   *     before 8.0.1 (no {@code SKIP LOCKED})
   */
  public int migrate() {
    return migrator.migrate(Instant.now());
  }

  @Override
  public boolean isHandled(String consumer, String messageId) {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    Objects.requireNonNull(messageId, "messageId cannot be null");
    return ops.isHandled(consumer, messageId);
  }

  @Override
  public void markHandled(String consumer, String messageId, Instant at) {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    Objects.requireNonNull(messageId, "messageId cannot be null");
    Objects.requireNonNull(at, "at cannot be null");
    ops.markHandled(consumer, messageId, at);
  }

  @Override
  public Set<String> handledAmong(String consumer, Collection<String> messageIds) {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    checkIds(messageIds);
    return ops.handledAmong(consumer, messageIds);
  }

  @Override
  public void markAllHandled(String consumer, Collection<String> messageIds, Instant at) {
    Objects.requireNonNull(consumer, "consumer cannot be null");
    checkIds(messageIds);
    Objects.requireNonNull(at, "at cannot be null");
    ops.markAllHandled(consumer, messageIds, at);
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
    return ops.handleOnce(consumer, messageId, at, work);
  }

  /**
   * @return {@link Connection}: what {@link #handleOnce} gives its work
   */
  @Override
  public Class<?> transactionType() {
    return Connection.class;
  }

  private static void checkIds(Collection<String> messageIds) {
    Objects.requireNonNull(messageIds, "messageIds cannot be null");
    for (String id : messageIds) {
      Objects.requireNonNull(id, "messageIds cannot contain null");
    }
  }
}
