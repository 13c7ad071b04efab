package dev.postoffice.core.memory;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The claim queues of one route and layer. Only claimable entries ({@code JUST_IN}, {@code
 * RETRYING}) are queued, each in exactly one queue, so a claim touches only what it returns plus
 * what became due since the last claim: O(batch log n), never a scan of all entries.
 *
 * <ul>
 *   <li>{@code ready}: due as of the last placement, ordered by creation time then insertion
 *       sequence;
 *   <li>{@code waiting}: {@code RETRYING} entries ordered by next attempt time;
 *   <li>{@code leased}: entries under a lease, ordered by lease expiry.
 * </ul>
 *
 * <p>Placement is relative to a {@code now} the engine passed. Since callers may pass an earlier
 * {@code now} later on, a claim re-checks every ready entry before taking it and moves those not
 * due back.
 */
final class ClaimQueues {
  /** A queue key: a time, then the insertion sequence. */
  record Slot(Instant at, long seq) implements Comparable<Slot> {
    @Override
    public int compareTo(Slot o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final TreeMap<Slot, StoredEntry> ready = new TreeMap<>();
  private final TreeMap<Slot, StoredEntry> waiting = new TreeMap<>();
  private final TreeMap<Slot, StoredEntry> leased = new TreeMap<>();

  /** Puts a claimable entry into the queue that fits it at {@code now}; others are left out. */
  void place(StoredEntry rec, Instant now) {
    remove(rec);
    Entry e = rec.entry;
    if (!e.status().isClaimable()) {
      return;
    }
    if (e.lease() != null && e.lease().expiresAt().isAfter(now)) {
      put(leased, new Slot(e.lease().expiresAt(), rec.seq), rec);
    } else if (notYetDue(e, now)) {
      put(waiting, new Slot(e.nextAttemptAt(), rec.seq), rec);
    } else {
      put(ready, new Slot(e.createdAt(), rec.seq), rec);
    }
  }

  /** Takes an entry out of whichever queue holds it. */
  static void remove(StoredEntry rec) {
    if (rec.queuedIn != null) {
      rec.queuedIn.remove(rec.slot);
      rec.queuedIn = null;
      rec.slot = null;
    }
  }

  /**
   * Returns up to {@code limit} entries due at {@code now}, oldest first, and takes them out of the
   * queues.
   */
  List<StoredEntry> takeDue(int limit, Instant now) {
    promote(leased, now);
    promote(waiting, now);
    List<StoredEntry> taken = new ArrayList<>(Math.min(limit, ready.size()));
    List<StoredEntry> notDue = new ArrayList<>();
    while (taken.size() < limit && !ready.isEmpty()) {
      Map.Entry<Slot, StoredEntry> first = ready.pollFirstEntry();
      StoredEntry rec = first.getValue();
      rec.queuedIn = null;
      rec.slot = null;
      if (isDue(rec.entry, now)) {
        taken.add(rec);
      } else {
        notDue.add(rec);
      }
    }
    for (StoredEntry rec : notDue) {
      place(rec, now);
    }
    return taken;
  }

  /** Returns every queued entry that has a lease, expired or not. */
  List<StoredEntry> withLease() {
    List<StoredEntry> out = new ArrayList<>(leased.values());
    for (StoredEntry rec : ready.values()) {
      if (rec.entry.lease() != null) {
        out.add(rec);
      }
    }
    for (StoredEntry rec : waiting.values()) {
      if (rec.entry.lease() != null) {
        out.add(rec);
      }
    }
    return out;
  }

  private void promote(TreeMap<Slot, StoredEntry> queue, Instant now) {
    while (!queue.isEmpty() && !queue.firstKey().at().isAfter(now)) {
      StoredEntry rec = queue.pollFirstEntry().getValue();
      rec.queuedIn = null;
      rec.slot = null;
      place(rec, now);
    }
  }

  private static boolean isDue(Entry e, Instant now) {
    return e.status().isClaimable()
        && (e.lease() == null || !e.lease().expiresAt().isAfter(now))
        && !notYetDue(e, now);
  }

  private static boolean notYetDue(Entry e, Instant now) {
    return e.status() == Status.RETRYING
        && e.nextAttemptAt() != null
        && e.nextAttemptAt().isAfter(now);
  }

  private static void put(TreeMap<Slot, StoredEntry> queue, Slot slot, StoredEntry rec) {
    queue.put(slot, rec);
    rec.queuedIn = queue;
    rec.slot = slot;
  }
}
