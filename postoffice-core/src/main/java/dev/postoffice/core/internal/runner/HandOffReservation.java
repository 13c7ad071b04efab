package dev.postoffice.core.internal.runner;

import dev.postoffice.core.internal.Require;
import dev.postoffice.model.Entry;
import java.util.Queue;
import java.util.concurrent.Semaphore;

/**
 * Room taken in a stage's in-memory hand-off queue for entries about to be stored leased to this
 * node: the fast path. Each of the three places that feed a queue (the intakes and a stage handing
 * its outputs to the next) reserves before it stores, hands over what the store took, and closes
 * the reservation in a try-with-resources block, which gives back whatever was not handed over,
 * whatever ends the block (a store failure, an {@link Error}, a listener's exception). A lost
 * permit would shrink the queue for good and, once all are lost, turn the fast path off.
 *
 * <p>A handed-over entry takes its permit with it into the queue; the stage gives it back when it
 * takes the entry out. Not thread-safe: one caller owns a reservation from reserve to close.
 */
public final class HandOffReservation implements AutoCloseable {
  /** No room: nothing to hand over, nothing to give back. Stateless, so it can be shared. */
  private static final HandOffReservation NONE = new HandOffReservation(null, null, 0);

  private final Semaphore room;
  private final Queue<Entry> queue;
  private final int reserved;
  private int handedOver;
  private boolean closed;

  private HandOffReservation(Semaphore room, Queue<Entry> queue, int reserved) {
    this.room = room;
    this.queue = queue;
    this.reserved = reserved;
  }

  /** A reservation of no room, for when the fast path is not taken. */
  static HandOffReservation none() {
    return NONE;
  }

  /**
   * Takes room for {@code count} entries if the queue has it now, without waiting.
   *
   * @return the reservation, or {@link #none()} if there is not enough room or {@code count} is 0
   * @throws IllegalArgumentException if {@code count} is negative
   */
  static HandOffReservation tryReserve(Semaphore room, Queue<Entry> queue, int count) {
    Require.nonNull(room, "room");
    Require.nonNull(queue, "queue");
    Require.between(count, 0, Integer.MAX_VALUE, "count");
    if (count == 0 || !room.tryAcquire(count)) {
      return NONE;
    }
    return new HandOffReservation(room, queue, count);
  }

  /** Whether room was reserved, that is, whether the caller takes the fast path. */
  public boolean isHeld() {
    return reserved > 0;
  }

  /**
   * Hands an entry over to the queue, using one unit of the reserved room.
   *
   * @throws IllegalStateException if all the reserved room is used, or the reservation is closed
   */
  public void handOff(Entry entry) {
    if (closed || handedOver == reserved) {
      throw new IllegalStateException(
          "cannot hand over entry "
              + entry.id()
              + ": "
              + handedOver
              + " of "
              + reserved
              + " reserved entries handed over"
              + (closed ? ", reservation closed" : ""));
    }
    queue.add(entry);
    handedOver++;
  }

  /** Gives back the room that was reserved and not handed over; does nothing the second time. */
  @Override
  public void close() {
    if (closed || reserved == 0) {
      return; // NONE is shared, so it is never marked closed
    }
    closed = true;
    room.release(reserved - handedOver);
  }
}
