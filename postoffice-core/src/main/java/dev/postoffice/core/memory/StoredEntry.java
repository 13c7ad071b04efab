package dev.postoffice.core.memory;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The store's mutable holder of one entry: the current immutable snapshot, its history, and where
 * it sits in the indexes. {@link EntryIndex} maintains the index fields; the store reads {@link
 * #entry} and appends to the history.
 */
final class StoredEntry {
  /** The insertion sequence, which breaks ties between equal times in the claim queues. */
  final long seq;

  /** The entry it duplicates, or null; what a retried intake of it answers. */
  final EntryId duplicateOf;

  Entry entry;

  /*
   * Its status changes, oldest first: the first two in fields (most entries change twice), any
   * later ones in an array, SLOTS slots each (the Move from and to, at, detail). Kept here rather
   * than in a map to spare a lookup per change, and flat rather than as HistoryRecords in a list,
   * which would be a list, its array and one object per change for every entry the store holds (a
   * young collection copies each of them until the entry is purged). history() makes the records
   * when they are read.
   */
  private Move move0;
  private Instant at0;
  private String detail0;
  private Move move1;
  private Instant at1;
  private String detail1;

  /** The changes after the second, filled up to {@link #changeCount} minus two, or null. */
  private Object[] laterChanges;

  private int changeCount;

  private static final int SLOTS = 3;

  /** A change's from and to statuses, one shared instance per pair: one slot instead of two. */
  private record Move(Status from, Status to) {
    private static final Status[] STATUSES = Status.values();

    /** Indexed by from's ordinal plus one (0: no from, the entry was created), then to's. */
    private static final Move[][] ALL = new Move[STATUSES.length + 1][STATUSES.length];

    static {
      for (int f = 0; f <= STATUSES.length; f++) {
        for (Status to : STATUSES) {
          ALL[f][to.ordinal()] = new Move(f == 0 ? null : STATUSES[f - 1], to);
        }
      }
    }

    static Move of(Status from, Status to) {
      return ALL[from == null ? 0 : from.ordinal() + 1][to.ordinal()];
    }
  }

  /**
   * The entries whose source it is, in the order they were added, as a list linked through their
   * {@link #nextSibling} (null while it has none): links rather than a list object per source,
   * which the store would keep for every entry with an output. {@link EntryIndex} maintains them.
   */
  StoredEntry firstChild;

  StoredEntry lastChild;

  /** The next output of its source, or null. */
  StoredEntry nextSibling;

  /** The next entry in its bucket of the id table ({@link IdTable}), or null. */
  StoredEntry nextById;

  /** Its id's hash as {@link IdTable} computes it, set when it is added there. */
  int idHash;

  /** The next root in its bucket of the trace index ({@link TraceRoots}), or null. */
  StoredEntry nextByTrace;

  /** The claim queue holding this entry, or null when it is not claimable. */
  TreeMap<ClaimQueues.Slot, StoredEntry> queuedIn;

  ClaimQueues.Slot slot;

  /** The lane of its route and layer, which never change: spares a map lookup per status change. */
  final Lane lane;

  /** Its neighbours in its lane's list of entries with the same status (see {@link Lane#list}). */
  StoredEntry statusPrev;

  StoredEntry statusNext;

  /** The status whose list it is in, or null when it is in none (purged). */
  Status listedAs;

  /** Whether it is listed in the by-trace index (true unless its source is in the same trace). */
  boolean traceRoot;

  /** Set while a purge drops it with others: their links to it need no unlinking. */
  boolean purging;

  StoredEntry(long seq, Entry entry, EntryId duplicateOf, Lane lane) {
    this.seq = seq;
    this.entry = entry;
    this.duplicateOf = duplicateOf;
    this.lane = lane;
  }

  /** Appends a status change to the history ({@code from} null: the entry was created). */
  void recordChange(Status from, Status to, Instant at, String detail) {
    // Fail where the record would have: to and at are required.
    Objects.requireNonNull(to, "to cannot be null");
    Objects.requireNonNull(at, "at cannot be null");
    Move move = Move.of(from, to);
    if (changeCount == 0) {
      move0 = move;
      at0 = at;
      detail0 = detail;
    } else if (changeCount == 1) {
      move1 = move;
      at1 = at;
      detail1 = detail;
    } else {
      int slot = (changeCount - 2) * SLOTS;
      if (laterChanges == null) {
        laterChanges = new Object[SLOTS]; // a third change is usually the last
      } else if (slot == laterChanges.length) {
        int later = changeCount - 2;
        laterChanges = Arrays.copyOf(laterChanges, (later + Math.max(1, later / 2)) * SLOTS);
      }
      laterChanges[slot] = move;
      laterChanges[slot + 1] = at;
      laterChanges[slot + 2] = detail;
    }
    changeCount++;
  }

  /** Its status changes, oldest first, as an immutable list. */
  List<HistoryRecord> history() {
    HistoryRecord[] records = new HistoryRecord[changeCount];
    EntryId id = entry.id(); // never changes
    for (int i = 0; i < records.length; i++) {
      if (i == 0) {
        records[i] = new HistoryRecord(id, move0.from(), move0.to(), at0, detail0);
      } else if (i == 1) {
        records[i] = new HistoryRecord(id, move1.from(), move1.to(), at1, detail1);
      } else {
        int slot = (i - 2) * SLOTS;
        Move move = (Move) laterChanges[slot];
        records[i] =
            new HistoryRecord(
                id,
                move.from(),
                move.to(),
                (Instant) laterChanges[slot + 1],
                (String) laterChanges[slot + 2]);
      }
    }
    return List.of(records);
  }
}
