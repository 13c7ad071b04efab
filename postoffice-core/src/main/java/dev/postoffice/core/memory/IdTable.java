package dev.postoffice.core.memory;

import dev.postoffice.model.EntryId;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * The store's entries by id: a hash table chained through the entries themselves ({@link
 * StoredEntry#nextById}), each holding its id's hash ({@link StoredEntry#idHash}). A {@code
 * HashMap} would add a node object per entry, which the store keeps for as long as the entry (every
 * young collection copies it until the entry is purged); here an entry costs two fields and its
 * share of the array.
 *
 * <p>Not thread-safe: {@link EntryIndex} uses it under the store's lock. Its iteration order is
 * unspecified, as a {@code HashMap}'s is.
 */
final class IdTable implements Iterable<StoredEntry> {
  private static final int INITIAL_CAPACITY = 1 << 8;

  private StoredEntry[] table = new StoredEntry[INITIAL_CAPACITY];
  private int size;

  /** Spreads the high bits down, as HashMap does, since the index keeps only the low ones. */
  private static int hash(EntryId id) {
    int h = id.hashCode();
    return h ^ (h >>> 16);
  }

  /** The number of entries. */
  int size() {
    return size;
  }

  /** The entry with an id, or null. */
  StoredEntry get(EntryId id) {
    int h = hash(id);
    for (StoredEntry rec = table[h & (table.length - 1)]; rec != null; rec = rec.nextById) {
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
    int h = hash(id);
    int i = h & (table.length - 1);
    for (StoredEntry there = table[i]; there != null; there = there.nextById) {
      if (there.idHash == h && there.entry.id().equals(id)) {
        return there;
      }
    }
    rec.idHash = h;
    rec.nextById = table[i];
    table[i] = rec;
    if (++size > table.length - (table.length >>> 2)) { // a load factor of 3/4, as HashMap's
      grow();
    }
    return null;
  }

  /**
   * Removes an entry, if it is the one held under its id.
   *
   * @return whether it was
   */
  boolean remove(StoredEntry rec) {
    int i = rec.idHash & (table.length - 1);
    StoredEntry before = null;
    for (StoredEntry there = table[i]; there != null; before = there, there = there.nextById) {
      if (there == rec) {
        if (before == null) {
          table[i] = rec.nextById;
        } else {
          before.nextById = rec.nextById;
        }
        rec.nextById = null;
        size--;
        return true;
      }
    }
    return false;
  }

  private void grow() {
    StoredEntry[] old = table;
    StoredEntry[] grown = new StoredEntry[old.length * 2];
    int mask = grown.length - 1;
    for (StoredEntry head : old) {
      StoredEntry rec = head;
      while (rec != null) {
        StoredEntry next = rec.nextById;
        int i = rec.idHash & mask;
        rec.nextById = grown[i];
        grown[i] = rec;
        rec = next;
      }
    }
    table = grown;
  }

  /** Every entry, in no particular order; the table must not change during the iteration. */
  @Override
  public Iterator<StoredEntry> iterator() {
    return new Iterator<>() {
      private final StoredEntry[] buckets = table;
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
