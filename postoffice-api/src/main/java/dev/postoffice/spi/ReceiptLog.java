package dev.postoffice.spi;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * The Core App receiver's memory of which message ids its handler has already handled, so a redelivered or
 * republished message is acknowledged without running the handler again. A host that wants the mark and its
 * handler's own writes in one transaction implements this on its own database.
 *
 * <p>The receiver reads and marks the messages a transport delivered together with one call each
 * ({@link #handledAmong}, {@link #markAllHandled}); their defaults call the single-message methods, and a log on
 * a database overrides them with one statement each.
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
   * Records that several messages were handled, as {@link #markHandled} does for each: idempotent, ids already
   * marked (or repeated) change nothing. When it throws, some ids may be marked and others not. The default
   * calls {@link #markHandled} for each.
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
