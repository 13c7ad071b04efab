package dev.postoffice.core.memory;

import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import java.time.Instant;
import java.util.List;

/**
 * Everything the store indexes per route and layer: the {@linkplain ClaimQueues claim queues} a
 * claim reads, and one {@linkplain StatusList list per status} that counts, the backlog and queries
 * by status read. Every entry of the lane is on exactly one status list (the one of its status)
 * and, while it is claimable, in one claim queue; {@link EntryIndex} calls {@link #list} and {@link
 * #place} after every change to keep it so.
 */
final class Lane {
  private static final Status[] STATUSES = Status.values();

  /** A slack past which a list counts as unordered; see {@link StatusList#UNBOUNDED}. */
  static final long UNBOUNDED = StatusList.UNBOUNDED;

  final RouteId route;
  final Layer layer;
  private final StatusList[] lists = new StatusList[STATUSES.length];
  private final ClaimQueues queues = new ClaimQueues();

  Lane(RouteId route, Layer layer) {
    this.route = route;
    this.layer = layer;
    for (int i = 0; i < lists.length; i++) {
      lists[i] = new StatusList();
    }
  }

  /**
   * Lists an entry under its current status at the end (the latest change), taking it off the list
   * it was on; call after every change of the entry, so each list stays in the order of the
   * changes.
   */
  void list(StoredEntry rec) {
    Status status = rec.entry.status();
    if (rec.listedAs == status && lists[status.ordinal()].endsWith(rec)) {
      return;
    }
    unlist(rec);
    lists[status.ordinal()].append(rec);
    rec.listedAs = status;
  }

  /** Takes an entry off its status list (when it is purged). */
  void unlist(StoredEntry rec) {
    if (rec.listedAs != null) {
      lists[rec.listedAs.ordinal()].remove(rec);
      rec.listedAs = null;
    }
  }

  /** The slack of a status's list in nanoseconds, {@link #UNBOUNDED} if unordered; for tests. */
  long slackNanos(Status status) {
    return lists[status.ordinal()].slackNanos();
  }

  /** The number of entries of this lane in a status. */
  long count(Status status) {
    return lists[status.ordinal()].count();
  }

  /**
   * Adds to {@code out} the entries of this lane in a status that were updated before {@code
   * updatedBefore} (null: no bound), oldest status change first, at least the first {@code limit}
   * of them by {@code updatedAt} when there are that many, and at most a few more (those within the
   * list's slack). The caller sorts and cuts; this only spares it reading entries that cannot make
   * the page (the purge of a busy store, the Republisher's scan of a long Queued list).
   *
   * @param ties whether entries changed at the very instant of the latest one taken are read too,
   *     as a page sorted by time and then id needs (all of a batch's entries share one instant); a
   *     purge, which takes any {@code limit} of the oldest, passes false
   */
  void collect(
      Status status, Instant updatedBefore, int limit, boolean ties, List<StoredEntry> out) {
    lists[status.ordinal()].collect(updatedBefore, limit, ties, out);
  }

  /**
   * Puts a claimable entry into the claim queue that fits it at {@code now}; others are left out.
   */
  void place(StoredEntry rec, Instant now) {
    queues.place(rec, now);
  }

  /** Takes an entry out of whichever claim queue holds it. */
  static void remove(StoredEntry rec) {
    ClaimQueues.remove(rec);
  }

  /**
   * Returns up to {@code limit} entries due at {@code now}, oldest first, and takes them out of the
   * queues.
   */
  List<StoredEntry> takeDue(int limit, Instant now) {
    return queues.takeDue(limit, now);
  }

  /** Returns every queued entry that has a lease, expired or not. */
  List<StoredEntry> withLease() {
    return queues.withLease();
  }
}
