package dev.postoffice.core.internal;

import dev.postoffice.model.EntryId;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The layer-4 entries this node's {@link AckListener} acknowledged before their publisher had recorded the
 * broker's confirmation. The publisher's own commit for them is then refused by the store's fencing, which is
 * expected; this lets the publish stage tell that case from a lost lease without reading each entry back.
 *
 * <p>Bounded: if it ever holds {@value #MAX} ids (publishers that stopped before committing leave theirs
 * behind), it is cleared, and the publish stage falls back to reading the entries.
 */
final class OvertakenAcks {
  static final int MAX = 100_000;

  private final Set<EntryId> ids = ConcurrentHashMap.newKeySet();

  void addAll(Collection<EntryId> overtaken) {
    if (ids.size() + overtaken.size() > MAX) {
      ids.clear();
    }
    ids.addAll(overtaken);
  }

  /** Returns whether the entry was acknowledged ahead of its publisher, forgetting it. */
  boolean consume(EntryId id) {
    return ids.remove(id);
  }
}
