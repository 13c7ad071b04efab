package dev.postoffice.core.memory;

import dev.postoffice.model.TraceId;
import java.util.List;

/**
 * The trace index's roots (see {@link EntryIndex}): a hash table by trace id chained through the
 * entries themselves ({@link StoredEntry#nextByTrace}), a trace's several roots, if it has more
 * than one, each in the chain of its bucket. A {@code HashMap} would add a node object per trace
 * (and a list per trace with several roots), which the store keeps for as long as the trace.
 *
 * <p>Not thread-safe: {@link EntryIndex} uses it under the store's lock.
 */
final class TraceRoots {
  private static final int INITIAL_CAPACITY = 1 << 8;

  private StoredEntry[] table = new StoredEntry[INITIAL_CAPACITY];
  private int size;

  private static int hash(TraceId traceId) {
    int h = traceId.hashCode();
    return h ^ (h >>> 16);
  }

  /** The number of roots held. */
  int size() {
    return size;
  }

  /** Adds a root; it must not be held already. */
  void add(StoredEntry rec) {
    int i = hash(rec.entry.traceId()) & (table.length - 1);
    rec.nextByTrace = table[i];
    table[i] = rec;
    if (++size > table.length - (table.length >>> 2)) { // a load factor of 3/4, as HashMap's
      grow();
    }
  }

  /**
   * Removes a root.
   *
   * @return whether it was held
   */
  boolean remove(StoredEntry rec) {
    int i = hash(rec.entry.traceId()) & (table.length - 1);
    StoredEntry before = null;
    for (StoredEntry there = table[i]; there != null; before = there, there = there.nextByTrace) {
      if (there == rec) {
        if (before == null) {
          table[i] = rec.nextByTrace;
        } else {
          before.nextByTrace = rec.nextByTrace;
        }
        rec.nextByTrace = null;
        size--;
        return true;
      }
    }
    return false;
  }

  /** Adds the roots of a trace to {@code out}, in no particular order. */
  void collect(TraceId traceId, List<StoredEntry> out) {
    for (StoredEntry rec = table[hash(traceId) & (table.length - 1)];
        rec != null;
        rec = rec.nextByTrace) {
      if (rec.entry.traceId().equals(traceId)) {
        out.add(rec);
      }
    }
  }

  private void grow() {
    StoredEntry[] old = table;
    StoredEntry[] grown = new StoredEntry[old.length * 2];
    int mask = grown.length - 1;
    for (StoredEntry head : old) {
      StoredEntry rec = head;
      while (rec != null) {
        StoredEntry next = rec.nextByTrace;
        int i = hash(rec.entry.traceId()) & mask;
        rec.nextByTrace = grown[i];
        grown[i] = rec;
        rec = next;
      }
    }
    table = grown;
  }
}
