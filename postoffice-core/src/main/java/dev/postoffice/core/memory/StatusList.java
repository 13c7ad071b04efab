package dev.postoffice.core.memory;

import java.time.Instant;
import java.util.List;

/**
 * The entries of one route, layer and status, in the order of their changes: an intrusive doubly
 * linked list threaded through the entries themselves ({@link StoredEntry#statusPrev}, {@link
 * StoredEntry#statusNext}), with its length, so that counting, the backlog and queries by status
 * cost no hashing and no allocation per status change.
 *
 * <p>The order of the changes is {@code updatedAt} order only nearly: threads read the clock before
 * they take the store's lock, so an entry may be appended after one changed a few microseconds
 * later. The list keeps the largest such step back (its <em>slack</em>), so a scan for entries
 * changed before a time stops at the first entry changed after that time plus the slack, instead of
 * reading the whole list once any two changes came in out of order (which made every purge of a
 * busy store read all its finished entries).
 */
final class StatusList {
  /**
   * A slack past which the list counts as unordered: a clock set back, not threads racing to the
   * lock.
   */
  static final long UNBOUNDED = Long.MAX_VALUE;

  private static final long MAX_SLACK_NANOS = 60_000_000_000L;

  private StoredEntry head;
  private StoredEntry tail;

  /** The latest {@code updatedAt} appended; null while the list is empty. */
  private Instant highWater;

  /** The largest step back below {@link #highWater} of any entry appended, in nanoseconds. */
  private long slackNanos;

  private long count;

  /** Whether an entry is this list's last (the latest change). */
  boolean endsWith(StoredEntry rec) {
    return tail == rec;
  }

  /** Appends an entry that is on no list. */
  void append(StoredEntry rec) {
    rec.statusPrev = tail;
    rec.statusNext = null;
    if (tail != null) {
      tail.statusNext = rec;
    } else {
      head = rec;
    }
    track(rec.entry.updatedAt());
    tail = rec;
    count++;
  }

  /** Takes an entry that is on this list off it. */
  void remove(StoredEntry rec) {
    if (rec.statusPrev != null) {
      rec.statusPrev.statusNext = rec.statusNext;
    } else {
      head = rec.statusNext;
    }
    if (rec.statusNext != null) {
      rec.statusNext.statusPrev = rec.statusPrev;
    } else {
      tail = rec.statusPrev;
    }
    rec.statusPrev = null;
    rec.statusNext = null;
    if (--count == 0) {
      highWater = null;
      slackNanos = 0;
    }
  }

  /** Raises the high-water mark, or the slack when {@code at} lies below the mark. */
  private void track(Instant at) {
    Instant high = highWater;
    if (high == null || at.isAfter(high)) {
      highWater = at;
      return;
    }
    if (slackNanos == UNBOUNDED) {
      return;
    }
    long backSeconds = high.getEpochSecond() - at.getEpochSecond();
    long back = backSeconds * 1_000_000_000L + (high.getNano() - at.getNano());
    if (backSeconds >= MAX_SLACK_NANOS / 1_000_000_000L) {
      slackNanos = UNBOUNDED;
    } else if (back > slackNanos) {
      slackNanos = back;
    }
  }

  /** The slack in nanoseconds, {@link #UNBOUNDED} if the list is unordered. */
  long slackNanos() {
    return slackNanos;
  }

  /** The number of entries on the list. */
  long count() {
    return count;
  }

  /**
   * Adds to {@code out} the entries updated before {@code updatedBefore} (null: no bound), oldest
   * change first, at least the first {@code limit} of them by {@code updatedAt} when there are that
   * many, and at most a few more (those within the slack). See {@link Lane#collect}.
   */
  void collect(Instant updatedBefore, int limit, boolean ties, List<StoredEntry> out) {
    if (limit <= 0) {
      return;
    }
    long slack = slackNanos;
    // Every entry listed after one changed at t was changed at t - slack or later, so past the
    // first entry
    // changed at bound + slack, none can be changed before the bound.
    Instant stopAt =
        updatedBefore == null || slack == UNBOUNDED ? null : updatedBefore.plusNanos(slack);
    Instant latestTaken = null;
    int taken = 0;
    for (StoredEntry rec = head; rec != null; rec = rec.statusNext) {
      Instant at = rec.entry.updatedAt();
      if (stopAt != null && !at.isBefore(stopAt)) {
        return;
      }
      if (taken >= limit
          && slack != UNBOUNDED
          && (ties
              ? at.minusNanos(slack).isAfter(latestTaken)
              : !at.minusNanos(slack).isBefore(latestTaken))) {
        return; // this entry and every later one were changed after (or, without ties, at) the
        // latest one taken
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
}
