package dev.postoffice.rabbit.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One publish waiting for its confirm. Settles exactly once, and only the first settlement gives
 * the window permit back: a future completed by its caller (say, cancelled) cannot leak a permit.
 */
final class PendingPublish {
  final String messageId;
  final String routingKey;
  final long deadlineNanos;
  final CompletableFuture<Void> future = new CompletableFuture<>();
  private final AtomicBoolean settled = new AtomicBoolean();
  private final Runnable onSettle;

  /**
   * Set by the return listener, which the broker calls before the confirm of a returned message.
   */
  volatile RuntimeException returned;

  PendingPublish(String messageId, String routingKey, long deadlineNanos, Runnable onSettle) {
    this.messageId = messageId;
    this.routingKey = routingKey;
    this.deadlineNanos = deadlineNanos;
    this.onSettle = onSettle;
  }

  void confirm() {
    if (returned != null) {
      fail(returned);
    } else if (settled.compareAndSet(false, true)) {
      onSettle.run();
      future.complete(null);
    }
  }

  void fail(Throwable error) {
    if (settled.compareAndSet(false, true)) {
      onSettle.run();
      future.completeExceptionally(error);
    }
  }
}
