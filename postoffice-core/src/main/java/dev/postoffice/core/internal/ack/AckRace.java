package dev.postoffice.core.internal.ack;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The race, within one node, between the publish stage recording a broker's confirmation ({@code
 * QUEUED}) and the {@link AckListener} recording the Core App's acknowledgement of the same entry,
 * which can arrive first (the broker hands the message to the Core App before the publisher's
 * commit lands).
 *
 * <p>Two remedies, both in memory and both only shortcuts (the store's fencing keeps every outcome
 * correct without them, across nodes too):
 *
 * <ul>
 *   <li>The publish stage registers each batch while it publishes and commits; an acknowledgement
 *       for an entry of a registered batch waits (briefly) for that commit, then applies as the
 *       usual one-step {@code QUEUED -> ACKNOWLEDGED}, instead of recording {@code QUEUED} itself
 *       and making the publisher's commit fail its fencing.
 *   <li>When an acknowledgement does win, the entry is remembered, so the publish stage knows its
 *       refused commit was expected without reading the entry back. Bounded: cleared past {@value
 *       #MAX_OVERTAKEN} ids (a publisher that stopped before committing leaves its ids behind),
 *       then the stage reads them back.
 * </ul>
 *
 * <p>For the listener only (when one is set), it also remembers each entry this node recorded
 * {@code QUEUED}, with when, so the acknowledgement can report the delivery and its {@code
 * sinceQueued} without reading the entry back. Bounded the same way.
 */
public final class AckRace {
  static final int MAX_OVERTAKEN = 100_000;

  private final Set<EntryId> overtaken = ConcurrentHashMap.newKeySet();
  private final Map<EntryId, CompletableFuture<Void>> publishing = new ConcurrentHashMap<>();
  private final Map<EntryId, Queued> queued = new ConcurrentHashMap<>();

  /**
   * An entry this node recorded {@code QUEUED}: what an acknowledgement's events need of it.
   *
   * @param entry the entry as the publish stage claimed it
   * @param at when its confirmation was committed, on the engine's clock
   */
  record Queued(Entry entry, Instant at) {}

  /** A batch the publish stage is publishing and committing. */
  public final class Publishing implements AutoCloseable {
    private final List<EntryId> ids;
    private final CompletableFuture<Void> committed = new CompletableFuture<>();

    private Publishing(List<EntryId> ids) {
      this.ids = ids;
      ids.forEach(id -> publishing.put(id, committed));
    }

    /** The batch's commit is done (or failed): acknowledgements waiting for it go on. */
    @Override
    public void close() {
      ids.forEach(id -> publishing.remove(id, committed));
      committed.complete(null);
    }
  }

  /** Registers a batch the publish stage starts publishing; close the result after its commit. */
  public Publishing publishing(List<EntryId> ids) {
    return new Publishing(ids);
  }

  /**
   * Waits until the publish stage of this node has committed the batches these entries belong to,
   * at most {@code max}; returns at once for entries no batch of this node is publishing.
   *
   * @return whether any of them was being published here (then trying again is worthwhile)
   */
  boolean awaitPublisher(Collection<EntryId> ids, Duration max) {
    List<CompletableFuture<Void>> waits = new ArrayList<>();
    for (EntryId id : ids) {
      CompletableFuture<Void> f = publishing.get(id);
      if (f != null && !waits.contains(f)) {
        waits.add(f);
      }
    }
    if (waits.isEmpty()) {
      return false;
    }
    try {
      CompletableFuture.allOf(waits.toArray(new CompletableFuture<?>[0]))
          .get(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Go on: the caller records the acknowledgement itself, and the fencing sorts out the late
      // commit.
    }
    return true;
  }

  /** Remembers that the publish stage recorded the entry QUEUED at {@code at}, for the listener. */
  public void queued(Entry entry, Instant at) {
    if (queued.size() >= MAX_OVERTAKEN) {
      queued.clear(); // acknowledged elsewhere, or never: the acknowledgement reads them back
    }
    queued.put(entry.id(), new Queued(entry, at));
  }

  /** Returns and forgets what {@link #queued} remembered of the entry, or null. */
  Queued takeQueued(EntryId id) {
    return queued.remove(id);
  }

  /** Remembers entries acknowledged before their publisher recorded Queued. */
  void overtook(Collection<EntryId> ids) {
    if (overtaken.size() + ids.size() > MAX_OVERTAKEN) {
      overtaken.clear();
    }
    overtaken.addAll(ids);
  }

  /** Returns whether the entry was acknowledged ahead of its publisher, forgetting it. */
  public boolean consumeOvertaken(EntryId id) {
    return overtaken.remove(id);
  }
}
