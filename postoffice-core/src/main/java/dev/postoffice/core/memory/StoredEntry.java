package dev.postoffice.core.memory;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
   * Its status changes, oldest first; kept here rather than in a map to spare a lookup per change.
   */
  final List<HistoryRecord> history = new ArrayList<>(4);

  /** The entries whose source it is, or null while it has none. */
  List<StoredEntry> children;

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
    history.add(new HistoryRecord(entry.id(), from, to, at, detail));
  }
}
