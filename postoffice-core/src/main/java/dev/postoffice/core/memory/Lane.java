package dev.postoffice.core.memory;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The claim indexes of one route and layer. Only claimable entries ({@code JUST_IN}, {@code RETRYING}) are
 * indexed, each in exactly one map, so a claim touches only what it returns plus what became due since the
 * last claim: O(batch log n), never a scan of all entries.
 *
 * <ul>
 *   <li>{@code ready}: due as of the last placement, ordered by creation time then insertion sequence;
 *   <li>{@code waiting}: {@code RETRYING} entries ordered by next attempt time;
 *   <li>{@code leased}: entries under a lease, ordered by lease expiry.
 * </ul>
 *
 * <p>It also lists its entries by status (an intrusive doubly linked list per status, threaded through the
 * entries themselves) with a count per status, so counting, the backlog and queries by status cost no hashing
 * and no allocation per status change.
 *
 * <p>Each list is in the order of the changes, which is {@code updatedAt} order only nearly: threads read the
 * clock before they take the store's lock, so an entry may be listed after one changed a few microseconds
 * later. The lane keeps, per list, the largest such step back (its <em>slack</em>), so a scan for entries
 * changed before a time stops at the first entry changed after that time plus the slack, instead of reading
 * the whole list once any two changes came in out of order (which made every purge of a busy store read all
 * its finished entries).
 *
 * <p>Placement is relative to a {@code now} the engine passed. Since callers may pass an earlier {@code now}
 * later on, a claim re-checks every ready entry before taking it and moves those not due back.
 */
final class Lane {
  /** An index key: a time, then the insertion sequence. */
  record Slot(Instant at, long seq) implements Comparable<Slot> {
    @Override
    public int compareTo(Slot o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private static final Status[] STATUSES = Status.values();
  /** A slack past which a list counts as unordered: a clock set back, not threads racing to the lock. */
  static final long UNBOUNDED = Long.MAX_VALUE;
  private static final long MAX_SLACK_NANOS = 60_000_000_000L;

  final RouteId route;
  final Layer layer;
  private final StoredEntry[] heads = new StoredEntry[STATUSES.length];
  private final StoredEntry[] tails = new StoredEntry[STATUSES.length];
  /**
   * Per status: the latest {@code updatedAt} listed, and the largest step back below it any entry was listed
   * with, in nanoseconds ({@link #UNBOUNDED}: too far to scan by; the list is read whole).
   */
  private final Instant[] highWater = new Instant[STATUSES.length];
  private final long[] slackNanos = new long[STATUSES.length];
  private final long[] counts = new long[STATUSES.length];
  private final TreeMap<Slot, StoredEntry> ready = new TreeMap<>();
  private final TreeMap<Slot, StoredEntry> waiting = new TreeMap<>();
  private final TreeMap<Slot, StoredEntry> leased = new TreeMap<>();

  Lane(RouteId route, Layer layer) {
    this.route = route;
    this.layer = layer;
  }

  /**
   * Lists an entry under its current status at the end (the latest change), taking it off the list it was
   * on; call after every change of the entry, so each list stays in the order of the changes.
   */
  void list(StoredEntry rec) {
    Status status = rec.entry.status();
    if (rec.listedAs == status && tails[status.ordinal()] == rec) {
      return;
    }
    unlist(rec);
    int i = status.ordinal();
    StoredEntry tail = tails[i];
    rec.statusPrev = tail;
    rec.statusNext = null;
    if (tail != null) {
      tail.statusNext = rec;
    } else {
      heads[i] = rec;
    }
    track(i, rec.entry.updatedAt());
    tails[i] = rec;
    counts[i]++;
    rec.listedAs = status;
  }

  /** Takes an entry off its status list (when it is purged). */
  void unlist(StoredEntry rec) {
    Status was = rec.listedAs;
    if (was == null) {
      return;
    }
    int i = was.ordinal();
    if (rec.statusPrev != null) {
      rec.statusPrev.statusNext = rec.statusNext;
    } else {
      heads[i] = rec.statusNext;
    }
    if (rec.statusNext != null) {
      rec.statusNext.statusPrev = rec.statusPrev;
    } else {
      tails[i] = rec.statusPrev;
    }
    rec.statusPrev = null;
    rec.statusNext = null;
    rec.listedAs = null;
    if (--counts[i] == 0) {
      highWater[i] = null;
      slackNanos[i] = 0;
    }
  }

  /** Raises the high-water mark of list {@code i}, or its slack when {@code at} lies below the mark. */
  private void track(int i, Instant at) {
    Instant high = highWater[i];
    if (high == null || at.isAfter(high)) {
      highWater[i] = at;
      return;
    }
    if (slackNanos[i] == UNBOUNDED) {
      return;
    }
    long backSeconds = high.getEpochSecond() - at.getEpochSecond();
    long back = backSeconds * 1_000_000_000L + (high.getNano() - at.getNano());
    if (backSeconds >= MAX_SLACK_NANOS / 1_000_000_000L) {
      slackNanos[i] = UNBOUNDED;
    } else if (back > slackNanos[i]) {
      slackNanos[i] = back;
    }
  }

  /** The slack of a status's list in nanoseconds, {@link #UNBOUNDED} if unordered; for tests. */
  long slackNanos(Status status) {
    return slackNanos[status.ordinal()];
  }

  /** The number of entries of this lane in a status. */
  long count(Status status) {
    return counts[status.ordinal()];
  }

  /**
   * Adds to {@code out} the entries of this lane in a status that were updated before {@code updatedBefore}
   * (null: no bound), oldest status change first, at least the first {@code limit} of them by
   * {@code updatedAt} when there are that many, and at most a few more (those within the list's slack). The
   * caller sorts and cuts; this only spares it reading entries that cannot make the page (the purge of a busy
   * store, the Republisher's scan of a long Queued list).
   *
   * @param ties whether entries changed at the very instant of the latest one taken are read too, as a page
   *     sorted by time and then id needs (all of a batch's entries share one instant); a purge, which takes any
   *     {@code limit} of the oldest, passes false
   */
  void collect(Status status, Instant updatedBefore, int limit, boolean ties, List<StoredEntry> out) {
    if (limit <= 0) {
      return;
    }
    int i = status.ordinal();
    long slack = slackNanos[i];
    // Every entry listed after one changed at t was changed at t - slack or later, so past the first entry
    // changed at bound + slack, none can be changed before the bound.
    Instant stopAt = updatedBefore == null || slack == UNBOUNDED ? null : updatedBefore.plusNanos(slack);
    Instant latestTaken = null;
    int taken = 0;
    for (StoredEntry rec = heads[i]; rec != null; rec = rec.statusNext) {
      Instant at = rec.entry.updatedAt();
      if (stopAt != null && !at.isBefore(stopAt)) {
        return;
      }
      if (taken >= limit && slack != UNBOUNDED
          && (ties ? at.minusNanos(slack).isAfter(latestTaken) : !at.minusNanos(slack).isBefore(latestTaken))) {
        return; // this entry and every later one were changed after (or, without ties, at) the latest one taken
      }
      if (updatedBefore == null || at.isBefore(updatedBefore)) {
        out.add(rec);
        taken++;
        if (latestTaken == null || at.isAfter(latestTaken)) {
          latestTaken = at;
        }
      }
    }
  }

  /** Puts a claimable entry into the index that fits it at {@code now}; others are left out. */
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

  /** Takes an entry out of whichever index holds it. */
  static void remove(StoredEntry rec) {
    if (rec.indexedIn != null) {
      rec.indexedIn.remove(rec.slot);
      rec.indexedIn = null;
      rec.slot = null;
    }
  }

  /** Returns up to {@code limit} entries due at {@code now}, oldest first, and takes them out of the index. */
  List<StoredEntry> takeDue(int limit, Instant now) {
    promote(leased, now);
    promote(waiting, now);
    List<StoredEntry> taken = new ArrayList<>(Math.min(limit, ready.size()));
    List<StoredEntry> notDue = new ArrayList<>();
    while (taken.size() < limit && !ready.isEmpty()) {
      Map.Entry<Slot, StoredEntry> first = ready.pollFirstEntry();
      StoredEntry rec = first.getValue();
      rec.indexedIn = null;
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

  /** Returns every indexed entry that has a lease, expired or not. */
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

  private void promote(TreeMap<Slot, StoredEntry> index, Instant now) {
    while (!index.isEmpty() && !index.firstKey().at().isAfter(now)) {
      StoredEntry rec = index.pollFirstEntry().getValue();
      rec.indexedIn = null;
      rec.slot = null;
      place(rec, now);
    }
  }

  static boolean isDue(Entry e, Instant now) {
    return e.status().isClaimable()
        && (e.lease() == null || !e.lease().expiresAt().isAfter(now))
        && !notYetDue(e, now);
  }

  private static boolean notYetDue(Entry e, Instant now) {
    return e.status() == Status.RETRYING && e.nextAttemptAt() != null && e.nextAttemptAt().isAfter(now);
  }

  private static void put(TreeMap<Slot, StoredEntry> index, Slot slot, StoredEntry rec) {
    index.put(slot, rec);
    rec.indexedIn = index;
    rec.slot = slot;
  }
}
