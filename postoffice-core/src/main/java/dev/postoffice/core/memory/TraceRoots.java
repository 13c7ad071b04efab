package dev.postoffice.core.memory;

import dev.postoffice.model.TraceId;
import java.util.List;

/**
 * The trace index's roots (see {@link EntryIndex}): a {@link ChainedTable} by trace id linked
 * through {@link StoredEntry#nextByTrace}; a trace's several roots, if it has more than one, each
 * in the chain of its bucket. A {@code HashMap} would add a node object per trace (and a list per
 * trace with several roots).
 */
final class TraceRoots extends ChainedTable {
  @Override
  StoredEntry next(StoredEntry rec) {
    return rec.nextByTrace;
  }

  @Override
  void setNext(StoredEntry rec, StoredEntry next) {
    rec.nextByTrace = next;
  }

  @Override
  int hashOf(StoredEntry rec) {
    return spread(rec.entry.traceId().hashCode());
  }

  /** Adds a root; it must not be held already. */
  void add(StoredEntry rec) {
    link(rec, hashOf(rec));
  }

  /**
   * Removes a root.
   *
   * @return whether it was held
   */
  boolean remove(StoredEntry rec) {
    return unlink(rec);
  }

  /** Adds the roots of a trace to {@code out}, in no particular order. */
  void collect(TraceId traceId, List<StoredEntry> out) {
    for (StoredEntry rec = bucket(spread(traceId.hashCode())); rec != null; rec = rec.nextByTrace) {
      if (rec.entry.traceId().equals(traceId)) {
        out.add(rec);
      }
    }
  }
}
