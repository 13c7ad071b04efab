package dev.postoffice.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The Core App receiver's memory of which message ids its handler has already handled, so a
 * redelivered or republished message is acknowledged without running the handler again. A host that
 * wants the mark and its handler's own writes in one transaction implements this on its own
 * database.
 *
 * <p>The receiver reads and marks the messages a transport delivered together with one call each
 * ({@link #handledAmong}, {@link #markAllHandled}); their defaults call the single-message methods,
 * and a log on a database overrides them with one statement each.
 *
 * <p>Implementations are thread-safe.
 */
public interface ReceiptLog {
  /**
   * Tells whether a message was handled.
   *
   * @param consumer the receiver's name (one log can serve several receivers)
   * @param messageId the message id
   * @return true if {@link #markHandled} was called for it
   */
  boolean isHandled(String consumer, String messageId);

  /**
   * Records that a message was handled. Idempotent.
   *
   * @param consumer the receiver's name
   * @param messageId the message id
   * @param at when it was handled
   */
  void markHandled(String consumer, String messageId, Instant at);

  /**
   * Checks that this log can be used as configured, so a misconfigured receiver fails when it
   * starts instead of never running its handler. {@code CoreAppReceiver.start()} calls it. The
   * default checks nothing (a log in memory is always usable); a log on a database checks that its
   * table exists.
   *
   * @throws dev.postoffice.ConfigurationException if the log is set up wrong, such as its table
   *     missing under the configured name; the message names what is missing and how to fix it
   * @throws dev.postoffice.StoreUnavailableException if the log cannot be reached now (not a
   *     misconfiguration: the receiver starts anyway and holds deliveries until the log answers)
   */
  default void verify() {}

  /** Work a receiver runs for one message through {@link #handleOnce}. */
  @FunctionalInterface
  interface Once {
    /**
     * Does the work.
     *
     * @param transaction the log's open transaction, of {@link #transactionType()} (for {@code
     *     JdbcReceiptLog} a {@code java.sql.Connection}); null if the log has none
     * @throws Exception to leave the message unmarked (the transaction is rolled back)
     */
    void run(Object transaction) throws Exception;
  }

  /**
   * Runs work for a message unless it was handled before, and marks it handled, as one step where
   * the log can: a log on a database claims the message id first (so a second caller, in this
   * process or another, waits for the first and then skips the work), runs the work in the same
   * transaction as the mark, and commits both together; if the work throws or the process dies
   * before the commit, neither the work's writes through the transaction nor the mark remain. The
   * default, for logs without transactions, checks {@link #isHandled}, runs the work with no
   * transaction, then calls {@link #markHandled}: a crash between the two runs the work again.
   *
   * @param consumer the receiver's name
   * @param messageId the message id
   * @param at when it is handled
   * @param work the work
   * @return true if the work ran and the message is now marked, false if it was handled before (the
   *     work did not run)
   * @throws Exception what the work threw (nothing is marked); {@link
   *     dev.postoffice.StoreUnavailableException} if the log cannot be reached (the work did not
   *     run, or its transaction was rolled back)
   */
  default boolean handleOnce(String consumer, String messageId, Instant at, Once work)
      throws Exception {
    if (isHandled(consumer, messageId)) {
      return false;
    }
    work.run(null);
    markHandled(consumer, messageId, at);
    return true;
  }

  /**
   * Tells what {@link #handleOnce} gives its work as the transaction.
   *
   * @return the transaction's type, such as {@code java.sql.Connection}; null (the default) if it
   *     gives none
   */
  default Class<?> transactionType() {
    return null;
  }

  /**
   * Tells which of several messages were handled. The default asks {@link #isHandled} for each.
   *
   * @param consumer the receiver's name
   * @param messageIds the message ids
   * @return those of them that were marked; a new set the caller may change
   */
  default Set<String> handledAmong(String consumer, Collection<String> messageIds) {
    Objects.requireNonNull(messageIds, "messageIds cannot be null");
    Set<String> handled = new HashSet<>();
    for (String id : messageIds) {
      if (isHandled(consumer, id)) {
        handled.add(id);
      }
    }
    return handled;
  }

  /**
   * Records that several messages were handled, as {@link #markHandled} does for each: idempotent,
   * ids already marked (or repeated) change nothing. When it throws, some ids may be marked and
   * others not. The default calls {@link #markHandled} for each.
   *
   * @param consumer the receiver's name
   * @param messageIds the message ids
   * @param at when they were handled
   */
  default void markAllHandled(String consumer, Collection<String> messageIds, Instant at) {
    Objects.requireNonNull(messageIds, "messageIds cannot be null");
    for (String id : messageIds) {
      markHandled(consumer, id, at);
    }
  }
}
