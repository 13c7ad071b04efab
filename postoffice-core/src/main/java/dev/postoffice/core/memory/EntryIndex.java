package dev.postoffice.core.memory;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.StatusCount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The in-memory store's entries and every index over them, kept consistent with each other: by id;
 * per route and layer, the claim queues and status lists of a {@link Lane}; by route and dedup key;
 * by trace; and by lineage (each entry lists its outputs). Every new entry and every change of one
 * goes through here, so that no index misses it.
 *
 * <p>The trace index holds only the entries whose source is not in their trace (roots, mostly): the
 * others are found from their source, by walking down the lineage. That spares a map update per
 * derived entry.
 *
 * <p>Not thread-safe: the store calls it under its lock.
 */
final class EntryIndex {
  private static final List<Status> TERMINAL =
      Arrays.stream(Status.values()).filter(Status::isTerminal).toList();

  private record LaneKey(RouteId route, Layer layer) {}

  private record DedupKey(RouteId route, String key) {}

  private final IdTable byId = new IdTable();
  private final TraceRoots byTrace = new TraceRoots();
  private final Map<DedupKey, EntryId> byDedupKey = new HashMap<>();
  private final Map<LaneKey, Lane> lanes = new HashMap<>();
  // The same lanes by route, then by layer, for lane(); and the route it was last asked for.
  private static final int LAYERS = Layer.values().length;
  private final Map<RouteId, Lane[]> lanesByRoute = new HashMap<>();
  private RouteId lastRoute;
  private Lane[] lastRouteLanes;
  private long nextSeq;

  /** The entry with an id, or null. */
  StoredEntry get(EntryId id) {
    return byId.get(id);
  }

  /** The number of entries. */
  int size() {
    return byId.size();
  }

  /** The entry taken in first with a dedup key on a route, or null (also for a null key). */
  EntryId original(RouteId route, String dedupKey) {
    return dedupKey == null ? null : byDedupKey.get(new DedupKey(route, dedupKey));
  }

  /**
   * Adds an entry taken in, unless one with its id exists (then returns null and changes nothing).
   * Unless it is a duplicate, its dedup key becomes the one later intakes on its route are checked
   * against.
   *
   * @param duplicateOf the entry it duplicates, or null
   */
  StoredEntry addTakenIn(Entry entry, EntryId duplicateOf) {
    StoredEntry rec = add(entry, duplicateOf, null);
    if (rec != null && duplicateOf == null && entry.dedupKey() != null) {
      byDedupKey.putIfAbsent(new DedupKey(entry.route(), entry.dedupKey()), entry.id());
    }
    return rec;
  }

  /**
   * Adds an output of a completion, unless one with its id exists (then returns null and changes
   * nothing). Its dedup key is not indexed: only intake deduplicates.
   *
   * @param source the entry being completed, which is usually the output's source and spares
   *     looking it up
   */
  StoredEntry addOutput(Entry entry, StoredEntry source) {
    return add(entry, null, source);
  }

  private StoredEntry add(Entry entry, EntryId duplicateOf, StoredEntry knownSource) {
    // One probe of the id map rather than two (a miss, then an insert): it is the largest map,
    // and each probe of it is a cache miss or two. An id already there keeps its entry.
    StoredEntry rec =
        new StoredEntry(nextSeq, entry, duplicateOf, lane(entry.route(), entry.layer()));
    if (byId.putIfAbsent(rec) != null) {
      return null;
    }
    nextSeq++;
    StoredEntry source =
        entry.sourceId() == null
            ? null
            : knownSource != null && knownSource.entry.id().equals(entry.sourceId())
                ? knownSource
                : byId.get(entry.sourceId());
    if (source != null) {
      if (source.lastChild == null) {
        source.firstChild = rec;
      } else {
        source.lastChild.nextSibling = rec;
      }
      source.lastChild = rec;
    }
    if (source == null || !source.entry.traceId().equals(entry.traceId())) {
      indexByTrace(rec);
    }
    rec.lane.list(rec);
    rec.lane.place(rec, entry.createdAt()); // created now: the time it is queued as of
    return rec;
  }

  private void indexByTrace(StoredEntry rec) {
    rec.traceRoot = true;
    byTrace.add(rec);
  }

  /**
   * The lane of a route and layer, made on first use. Every new entry asks: the lanes of the route
   * asked last are at hand (a route's entries come together, and the engine passes the same RouteId
   * each time), others one map lookup away, without a key object per call.
   */
  private Lane lane(RouteId route, Layer layer) {
    Lane[] byLayer = route == lastRoute ? lastRouteLanes : lanesOf(route);
    Lane lane = byLayer[layer.ordinal()];
    if (lane == null) {
      lane = new Lane(route, layer);
      byLayer[layer.ordinal()] = lane;
      lanes.put(new LaneKey(route, layer), lane);
    }
    return lane;
  }

  private Lane[] lanesOf(RouteId route) {
    Lane[] byLayer = lanesByRoute.computeIfAbsent(route, r -> new Lane[LAYERS]);
    lastRoute = route;
    lastRouteLanes = byLayer;
    return byLayer;
  }

  /**
   * Replaces an entry's snapshot after a change that sets its {@code updatedAt}: it moves to the
   * end of its status's list and to the claim queue that fits it at {@code now}.
   */
  void changed(StoredEntry rec, Entry changed, Instant now) {
    rec.entry = changed;
    rec.lane.list(rec);
    rec.lane.place(rec, now);
  }

  /**
   * Replaces an entry's snapshot after its lease was extended, which leaves {@code updatedAt} as it
   * is: it moves in the claim queues only, as the status lists are in the order of {@code
   * updatedAt}.
   */
  void leaseExtended(StoredEntry rec, Entry extended, Instant now) {
    rec.entry = extended;
    rec.lane.place(rec, now);
  }

  /**
   * Takes up to {@code limit} entries of a route and layer due at {@code now} out of the claim
   * queues, oldest first; the caller claims each through {@link #changed}, which queues it again
   * under its lease.
   */
  List<StoredEntry> takeDue(RouteId route, Layer layer, int limit, Instant now) {
    Lane lane = lanes.get(new LaneKey(route, layer));
    return lane == null ? List.of() : lane.takeDue(limit, now);
  }

  /** The claimable entries, of every route, that hold a lease (expired or not) of an owner. */
  List<StoredEntry> leasedBy(String owner) {
    List<StoredEntry> out = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      for (StoredEntry rec : lane.withLease()) {
        if (rec.entry.lease().owner().equals(owner)) {
          out.add(rec);
        }
      }
    }
    return out;
  }

  /** The outputs of an entry (the entries whose source it is), in the order they were added. */
  List<StoredEntry> outputs(StoredEntry rec) {
    if (rec.firstChild == null) {
      return List.of();
    }
    List<StoredEntry> out = new ArrayList<>();
    for (StoredEntry child = rec.firstChild; child != null; child = child.nextSibling) {
      out.add(child);
    }
    return out;
  }

  /**
   * The entries of a trace, each after its source when that is in the trace too; unordered
   * otherwise.
   */
  List<StoredEntry> trace(TraceId traceId) {
    List<StoredEntry> found = new ArrayList<>();
    List<StoredEntry> roots = new ArrayList<>(1);
    byTrace.collect(traceId, roots);
    for (StoredEntry root : roots) {
      descendants(root, traceId, found);
    }
    return found;
  }

  /** Adds an entry and, depth first, the entries of the same trace derived from it. */
  private static void descendants(StoredEntry rec, TraceId traceId, List<StoredEntry> out) {
    out.add(rec);
    for (StoredEntry child = rec.firstChild; child != null; child = child.nextSibling) {
      if (!child.traceRoot && child.entry.traceId().equals(traceId)) {
        descendants(child, traceId, out);
      }
    }
  }

  /**
   * The entries a query may match: with statuses, those of the matching lanes' status lists (at
   * least the query's page of them, see {@link Lane#collect}); without, every entry. The caller
   * filters, sorts and cuts.
   */
  Iterable<StoredEntry> candidates(EntryQuery query) {
    if (query.statuses().isEmpty()) {
      return byId;
    }
    List<StoredEntry> out = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      if ((query.route() == null || query.route().equals(lane.route))
          && (query.layer() == null || query.layer() == lane.layer)) {
        for (Status status : query.statuses()) {
          lane.collect(status, query.updatedBefore(), query.limit(), true, out);
        }
      }
    }
    return out;
  }

  /** The number of entries per route, layer and status, leaving out zeros; unordered. */
  List<StatusCount> counts() {
    List<StatusCount> out = new ArrayList<>();
    for (Lane lane : lanes.values()) {
      for (Status status : Status.values()) {
        long n = lane.count(status);
        if (n > 0) {
          out.add(new StatusCount(lane.route, lane.layer, status, n));
        }
      }
    }
    return out;
  }

  /** The number of entries of a route, any layer, in a status. */
  long count(RouteId route, Status status) {
    long n = 0;
    for (Layer layer : Layer.values()) {
      Lane lane = lanes.get(new LaneKey(route, layer));
      if (lane != null) {
        n += lane.count(status);
      }
    }
    return n;
  }

  /**
   * Up to {@code limit} entries in a terminal status last updated before {@code cutoff}, read from
   * the terminal statuses' lists, oldest change first, rather than from every entry: a host purging
   * often reads little more than what it drops. Each list gives an equal share, so the layers of
   * the same traces (finished at about the same time) tend to go together.
   */
  List<StoredEntry> finishedBefore(Instant cutoff, int limit) {
    int lists = 0;
    for (Lane lane : lanes.values()) {
      for (Status status : TERMINAL) {
        if (lane.count(status) > 0) {
          lists++;
        }
      }
    }
    int share = Math.max(1, limit / Math.max(1, lists));
    List<StoredEntry> found = new ArrayList<>(limit);
    for (Lane lane : lanes.values()) {
      for (Status status : TERMINAL) {
        if (lane.count(status) > 0) {
          lane.collect(status, cutoff, share, false, found);
        }
      }
    }
    return found.size() > limit ? found.subList(0, limit) : found;
  }

  /** Takes an output out of its source's list of outputs. */
  private static void unlinkChild(StoredEntry source, StoredEntry child) {
    StoredEntry before = null;
    for (StoredEntry c = source.firstChild; c != null; before = c, c = c.nextSibling) {
      if (c == child) {
        if (before == null) {
          source.firstChild = c.nextSibling;
        } else {
          before.nextSibling = c.nextSibling;
        }
        if (source.lastChild == c) {
          source.lastChild = before;
        }
        c.nextSibling = null;
        return;
      }
    }
  }

  /**
   * Removes entries from every index. Their dedup keys are forgotten; their outputs that stay are
   * indexed by trace from now on, as they can no longer be found from their source.
   */
  void removeAll(List<StoredEntry> doomed) {
    // A whole trace usually goes at once: marking them all first spares unlinking an entry from a
    // source that
    // goes too, and indexing by trace an output that goes too (four map updates per entry
    // otherwise).
    for (StoredEntry rec : doomed) {
      rec.purging = true;
    }
    for (StoredEntry rec : doomed) {
      Entry e = rec.entry;
      Lane.remove(rec);
      byId.remove(rec);
      rec.lane.unlist(rec);
      StoredEntry source = e.sourceId() == null ? null : byId.get(e.sourceId());
      if (source != null && !source.purging) {
        unlinkChild(source, rec);
      }
      if (rec.traceRoot) {
        byTrace.remove(rec);
      }
      StoredEntry child = rec.firstChild;
      while (child != null) {
        // An output in the list is still stored (a removed one leaves its source's list at once,
        // see unlinkChild) unless it goes in this same call.
        if (!child.traceRoot && !child.purging) {
          indexByTrace(child);
        }
        // Unlinked, so that an output that stays does not keep its purged siblings reachable.
        StoredEntry next = child.nextSibling;
        child.nextSibling = null;
        child = next;
      }
      rec.firstChild = null;
      rec.lastChild = null;
      if (e.dedupKey() != null) {
        byDedupKey.remove(new DedupKey(e.route(), e.dedupKey()), e.id());
      }
    }
  }
}
