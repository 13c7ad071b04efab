package dev.postoffice.core.memory;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import java.util.TreeMap;

/**
 * The store's mutable holder of one entry: the current immutable snapshot, the insertion sequence that
 * breaks ties between equal times, and where the entry sits in its lane's claim indexes.
 */
final class StoredEntry {
  final long seq;
  final EntryId duplicateOf;
  Entry entry;
  /** The index map holding this entry, or null when it is not claimable. */
  TreeMap<Lane.Slot, StoredEntry> indexedIn;
  Lane.Slot slot;

  StoredEntry(long seq, Entry entry, EntryId duplicateOf) {
    this.seq = seq;
    this.entry = entry;
    this.duplicateOf = duplicateOf;
  }
}
