package dev.postoffice.coreapp;

import dev.postoffice.coreapp.internal.Require;
import dev.postoffice.spi.ReceiptLog;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The reference {@link ReceiptLog}: the handled message ids of each consumer, held in this JVM's
 * heap.
 *
 * <p>Bounded: it remembers at most {@code maxEntries} ids (default {@value #DEFAULT_MAX_ENTRIES})
 * over all consumers and forgets the oldest first. A forgotten id that is delivered again is
 * handled again, so size it above the number of messages the transport may redeliver or republish
 * within its redelivery window. Not durable: a restart forgets everything. A host that needs
 * exactly-once effects across restarts keeps its log on its own database.
 *
 * <p>Thread-safe.
 *
 * <pre>{@code
 * ReceiptLog log = InMemoryReceiptLog.create();
 * }</pre>
 */
public final class InMemoryReceiptLog implements ReceiptLog {
  /** The default number of ids remembered. */
  public static final int DEFAULT_MAX_ENTRIES = 1_000_000;

  /** The key of another consumer's id than the first consumer's (see {@link #key}). */
  private record Key(String consumer, String messageId) {}

  private final int maxEntries;

  /**
   * Handled ids, oldest first. The first consumer's ids are their own keys, other consumers' a
   * {@link Key} (a string never equals a Key): most hosts have one consumer, and for each id the
   * log then keeps no key object, which it would for as long as it remembers the id.
   */
  private final Map<Object, Instant> handled;

  /** The first consumer the log was asked about; never changes once set. */
  private String firstConsumer;

  private InMemoryReceiptLog(int maxEntries) {
    this.maxEntries = maxEntries;
    this.handled =
        new LinkedHashMap<>(16, 0.75f, false) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Object, Instant> eldest) {
            return size() > InMemoryReceiptLog.this.maxEntries;
          }
        };
  }

  /**
   * Returns a log remembering up to {@value #DEFAULT_MAX_ENTRIES} ids.
   *
   * @return the log
   */
  public static InMemoryReceiptLog create() {
    return new InMemoryReceiptLog(DEFAULT_MAX_ENTRIES);
  }

  /**
   * Returns a log remembering up to {@code maxEntries} ids, forgetting the oldest first.
   *
   * @param maxEntries at least 1
   * @return the log
   * @throws IllegalArgumentException if maxEntries is below 1
   */
  public static InMemoryReceiptLog create(int maxEntries) {
    return new InMemoryReceiptLog(Require.atLeast(maxEntries, 1, "maxEntries"));
  }

  @Override
  public synchronized boolean isHandled(String consumer, String messageId) {
    return handled.containsKey(
        key(Require.nonNull(consumer, "consumer"), Require.nonNull(messageId, "messageId")));
  }

  @Override
  public synchronized void markHandled(String consumer, String messageId, Instant at) {
    Require.nonNull(at, "at");
    handled.putIfAbsent(
        key(Require.nonNull(consumer, "consumer"), Require.nonNull(messageId, "messageId")), at);
  }

  @Override
  public synchronized Set<String> handledAmong(String consumer, Collection<String> messageIds) {
    Require.nonNull(consumer, "consumer");
    Set<String> out = new HashSet<>();
    for (String id : Require.nonNull(messageIds, "messageIds")) {
      if (handled.containsKey(key(consumer, Require.nonNull(id, "messageIds[]")))) {
        out.add(id);
      }
    }
    return out;
  }

  @Override
  public synchronized void markAllHandled(
      String consumer, Collection<String> messageIds, Instant at) {
    Require.nonNull(consumer, "consumer");
    Require.nonNull(at, "at");
    for (String id : Require.nonNull(messageIds, "messageIds")) {
      Require.nonNull(id, "messageIds[]"); // all checked before any is marked
    }
    for (String id : messageIds) {
      handled.putIfAbsent(key(consumer, id), at);
    }
  }

  /** The key of a consumer's id in {@link #handled}. Called under the lock. */
  private Object key(String consumer, String messageId) {
    if (firstConsumer == null) {
      firstConsumer = consumer;
    }
    return firstConsumer.equals(consumer) ? messageId : new Key(consumer, messageId);
  }

  /**
   * Returns how many ids it remembers now.
   *
   * @return the count
   */
  public synchronized int size() {
    return handled.size();
  }

  /**
   * Returns the most ids it remembers.
   *
   * @return the limit
   */
  public int maxEntries() {
    return maxEntries;
  }
}
