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

  /**
   * Its status changes, oldest first, {@value #SLOTS} slots each (from, to, at, detail), in an
   * array filled up to {@link #changeCount}: kept here rather than in a map to spare a lookup per
   * change, and flat rather than as {@link HistoryRecord}s in a list, which would be a list, its
   * array and one object per change for every entry the store holds (a young collection copies each
   * of them until the entry is purged). {@link #history()} makes the records when they are read.
   */
  private Object[] changes;

  private int changeCount;

  private static final int SLOTS = 4;

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
    int slot = changeCount * SLOTS;
    if (changes == null) {
      changes = new Object[2 * SLOTS]; // most entries change twice or three times
    } else if (slot == changes.length) {
      changes = Arrays.copyOf(changes, changes.length * 2);
    }
    changes[slot] = from;
    changes[slot + 1] = to;
    changes[slot + 2] = at;
    changes[slot + 3] = detail;
    changeCount++;
  }

  /** Its status changes, oldest first, as an immutable list. */
  List<HistoryRecord> history() {
    HistoryRecord[] records = new HistoryRecord[changeCount];
    EntryId id = entry.id(); // never changes
    for (int i = 0; i < records.length; i++) {
      int slot = i * SLOTS;
      records[i] =
          new HistoryRecord(
              id,
              (Status) changes[slot],
              (Status) changes[slot + 1],
              (Instant) changes[slot + 2],
              (String) changes[slot + 3]);
    }
    return List.of(records);
  }
}
