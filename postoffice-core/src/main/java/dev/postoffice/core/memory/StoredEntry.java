package dev.postoffice.core.memory;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The store's mutable holder of one entry: the current immutable snapshot, the insertion sequence that
 * breaks ties between equal times, and where the entry sits in its lane's claim indexes and status lists.
 */
final class StoredEntry {
  final long seq;
  final EntryId duplicateOf;
  Entry entry;
  /** Its status changes, oldest first; kept here rather than in a map to spare a lookup per change. */
  final List<HistoryRecord> history = new ArrayList<>(4);
  /** The entries whose source it is, or null while it has none. */
  List<StoredEntry> children;
  /** The index map holding this entry, or null when it is not claimable. */
  TreeMap<Lane.Slot, StoredEntry> indexedIn;
  Lane.Slot slot;
  /** The lane of its route and layer, which never change: spares a map lookup per status change. */
  final Lane lane;
  /** Its neighbours in its lane's list of entries with the same status (see {@link Lane#list}). */
  StoredEntry statusPrev;
  StoredEntry statusNext;
  /** The status whose list it is in, or null when it is in none (purged). */
  Status listedAs;
  /** Whether it is listed in the store's by-trace index (true unless its source is in the same trace). */
  boolean traceRoot;
  /** Set while a purge drops it with others: their links to it need no unlinking. */
  boolean purging;

  StoredEntry(long seq, Entry entry, EntryId duplicateOf, Lane lane) {
    this.seq = seq;
    this.entry = entry;
    this.duplicateOf = duplicateOf;
    this.lane = lane;
  }
}
