package dev.postoffice.core.memory;

import dev.postoffice.model.EntryId;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The store's entries by id: a {@link ChainedTable} linked through {@link StoredEntry#nextById},
 * each entry holding its id's hash ({@link StoredEntry#idHash}). Its iteration order is
 * unspecified, as a {@code HashMap}'s is.
 */
final class IdTable extends ChainedTable implements Iterable<StoredEntry> {
  @Override
  StoredEntry next(StoredEntry rec) {
    return rec.nextById;
  }

  @Override
  void setNext(StoredEntry rec, StoredEntry next) {
    rec.nextById = next;
  }

  @Override
  int hashOf(StoredEntry rec) {
    return rec.idHash;
  }

  /** The entry with an id, or null. */
  StoredEntry get(EntryId id) {
    int h = spread(id.hashCode());
    for (StoredEntry rec = bucket(h); rec != null; rec = rec.nextById) {
      if (rec.idHash == h && rec.entry.id().equals(id)) {
        return rec;
      }
    }
    return null;
  }

  /**
   * Adds an entry under its id unless one with that id is there.
   *
   * @return the entry already there, or null if {@code rec} was added
   */
  StoredEntry putIfAbsent(StoredEntry rec) {
    EntryId id = rec.entry.id();
    int h = spread(id.hashCode());
    for (StoredEntry there = bucket(h); there != null; there = there.nextById) {
      if (there.idHash == h && there.entry.id().equals(id)) {
        return there;
      }
    }
    rec.idHash = h;
    link(rec, h);
    return null;
  }

  /**
   * Removes an entry, if it is the one held under its id.
   *
   * @return whether it was
   */
  boolean remove(StoredEntry rec) {
    return unlink(rec);
  }

  /** Every entry, in no particular order; the table must not change during the iteration. */
  @Override
  public Iterator<StoredEntry> iterator() {
    return new Iterator<>() {
      private final StoredEntry[] buckets = buckets();
      private int bucket;
      private StoredEntry next = advance(null);

      private StoredEntry advance(StoredEntry from) {
        if (from != null && from.nextById != null) {
          return from.nextById;
        }
        while (bucket < buckets.length) {
          StoredEntry head = buckets[bucket++];
          if (head != null) {
            return head;
          }
        }
        return null;
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public StoredEntry next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        StoredEntry current = next;
        next = advance(current);
        return current;
      }
    };
  }
}
