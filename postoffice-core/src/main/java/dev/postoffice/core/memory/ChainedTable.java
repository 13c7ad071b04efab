package dev.postoffice.core.memory;

/**
 * A hash table of stored entries chained through the entries themselves: each entry holds the link
 * to the next one in its bucket, so the table costs an entry one field and its share of the array
 * where a {@code HashMap} would add a node object per entry, which the store keeps (and every young
 * collection copies) for as long as the entry. The subclasses say which field links a chain and
 * what an entry's hash is; lookups by key walk {@link #bucket(int)} themselves.
 *
 * <p>Not thread-safe: {@link EntryIndex} uses its tables under the store's lock.
 */
abstract class ChainedTable {
  private static final int INITIAL_CAPACITY = 1 << 8;

  private StoredEntry[] table = new StoredEntry[INITIAL_CAPACITY];
  private int size;

  /** Spreads the high bits down, as HashMap does, since a bucket index keeps only the low ones. */
  static int spread(int hashCode) {
    return hashCode ^ (hashCode >>> 16);
  }

  /** The entry after {@code rec} in its bucket's chain, or null. */
  abstract StoredEntry next(StoredEntry rec);

  abstract void setNext(StoredEntry rec, StoredEntry next);

  /** The (spread) hash {@code rec} is filed under. */
  abstract int hashOf(StoredEntry rec);

  /** The number of entries held. */
  final int size() {
    return size;
  }

  /** The first entry of the chain where entries with this hash are filed, or null. */
  final StoredEntry bucket(int hash) {
    return table[hash & (table.length - 1)];
  }

  /** Files an entry under {@code hash}, which must be {@link #hashOf} it; it must not be held. */
  final void link(StoredEntry rec, int hash) {
    int i = hash & (table.length - 1);
    setNext(rec, table[i]);
    table[i] = rec;
    if (++size > table.length - (table.length >>> 2)) { // a load factor of 3/4, as HashMap's
      grow();
    }
  }

  /**
   * Removes an entry.
   *
   * @return whether it was held
   */
  final boolean unlink(StoredEntry rec) {
    int i = hashOf(rec) & (table.length - 1);
    StoredEntry before = null;
    for (StoredEntry there = table[i]; there != null; before = there, there = next(there)) {
      if (there == rec) {
        if (before == null) {
          table[i] = next(rec);
        } else {
          setNext(before, next(rec));
        }
        setNext(rec, null);
        size--;
        return true;
      }
    }
    return false;
  }

  /** The bucket array as it is now, for an iteration during which the table does not change. */
  final StoredEntry[] buckets() {
    return table;
  }

  private void grow() {
    StoredEntry[] old = table;
    StoredEntry[] grown = new StoredEntry[old.length * 2];
    int mask = grown.length - 1;
    for (StoredEntry head : old) {
      StoredEntry rec = head;
      while (rec != null) {
        StoredEntry following = next(rec);
        int i = hashOf(rec) & mask;
        setNext(rec, grown[i]);
        grown[i] = rec;
        rec = following;
      }
    }
    table = grown;
  }
}
