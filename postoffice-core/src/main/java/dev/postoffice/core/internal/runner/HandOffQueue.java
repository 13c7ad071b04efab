package dev.postoffice.core.internal.runner;

import dev.postoffice.model.Entry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A stage's in-memory queue of entries this node stored leased to itself (the fast path), bounded
 * by room that feeders reserve before they store ({@link HandOffReservation}). An entry keeps its
 * unit of room while it waits; the room comes back when the stage takes the entry out.
 *
 * <p>Memory stays bounded: at most a few batches wait in memory; the rest of the backlog stays in
 * the store.
 */
final class HandOffQueue {
  /** The smallest hand-off queue, in entries, whatever the batch size. */
  static final int MIN_HAND_OFF = 256;

  private final LinkedBlockingQueue<Entry> entries = new LinkedBlockingQueue<>();
  private final Semaphore room;

  HandOffQueue(int capacity) {
    this.room = new Semaphore(capacity);
  }

  /**
   * Entries that may wait in memory for a stage: four batches, and at least {@value #MIN_HAND_OFF}.
   * Small batches still get a queue of a useful size: with four entries (batch 1), nearly every
   * entry missed the fast path and cost a claim query per stage.
   */
  static int capacityFor(int batchSize) {
    return Math.max(batchSize * 4, MIN_HAND_OFF);
  }

  /**
   * Reserves room for {@code count} entries if there is that much now; see {@link
   * HandOffReservation}.
   */
  HandOffReservation reserve(int count) {
    return HandOffReservation.tryReserve(room, entries, count);
  }

  /** Takes out up to {@code max} waiting entries without waiting, giving back their room. */
  List<Entry> take(int max) {
    List<Entry> batch = new ArrayList<>(max);
    entries.drainTo(batch, max);
    room.release(batch.size());
    return batch;
  }

  /**
   * Waits up to {@code waitNanos} for a first entry; then takes up to {@code size}, lingering up to
   * {@code lingerNanos} for more to fill the batch. Their room is given back once the batch is
   * complete.
   *
   * @return the batch, empty if no entry came in time
   */
  List<Entry> await(int size, long waitNanos, long lingerNanos) throws InterruptedException {
    List<Entry> batch = new ArrayList<>(size);
    Entry first = entries.poll(waitNanos, TimeUnit.NANOSECONDS);
    if (first == null) {
      return batch;
    }
    batch.add(first);
    entries.drainTo(batch, size - 1);
    long deadline = System.nanoTime() + lingerNanos;
    long remaining;
    while (batch.size() < size && (remaining = deadline - System.nanoTime()) > 0) {
      Entry more = entries.poll(remaining, TimeUnit.NANOSECONDS);
      if (more == null) {
        break;
      }
      batch.add(more);
      entries.drainTo(batch, size - batch.size());
    }
    room.release(batch.size());
    return batch;
  }

  /** Entries waiting; their leases are released by the engine on shutdown. */
  int size() {
    return entries.size();
  }
}
