package dev.postoffice.spi;

import java.time.Instant;

/**
 * The Core App receiver's memory of which message ids its handler has already handled, so a redelivered or
 * republished message is acknowledged without running the handler again. A host that wants the mark and its
 * handler's own writes in one transaction implements this on its own database.
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
}
