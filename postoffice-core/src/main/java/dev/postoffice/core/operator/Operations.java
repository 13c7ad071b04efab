package dev.postoffice.core.operator;

import dev.postoffice.NoSuchEntryException;
import dev.postoffice.core.internal.Require;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.RoutePause;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The operator API: where a message is, where it came from, what failed, and replay after a fix.
 * Reads and writes go straight to the store, so it works on any node, and without a running
 * pipeline ({@link #create(StatusStore, Clock)}). Thread-safe.
 *
 * <pre>{@code
 * Operations ops = pipeline.operations();
 * System.out.println(ops.trace(entryId).render());
 * ops.failed("acme-orders", 50).forEach(e -> ops.replay(e.id(), "mapping fixed in v4"));
 * }</pre>
 */
public final class Operations {
  /** The most entries a lineage walk visits, so one pathological fan-out cannot exhaust memory. */
  public static final int MAX_LINEAGE = 10_000;

  private final StatusStore store;
  private final Clock clock;
  private final PipelineEvents events;

  private Operations(StatusStore store, Clock clock, PipelineListener listener) {
    this.store = store;
    this.clock = clock;
    this.events = new PipelineEvents(listener, clock);
  }

  /**
   * Returns operations on a store.
   *
   * @param store the store
   * @param clock the clock for replay times
   * @return the operations
   */
  public static Operations create(StatusStore store, Clock clock) {
    return create(store, clock, PipelineListener.EMPTY);
  }

  /**
   * Returns operations on a store that tell a listener of the status changes they make (a replay),
   * as a running pipeline's {@code operations()} does.
   *
   * @param store the store
   * @param clock the clock for replay times
   * @param listener told of each status change, after the store has it
   * @return the operations
   */
  public static Operations create(StatusStore store, Clock clock, PipelineListener listener) {
    return new Operations(
        Require.nonNull(store, "store"),
        Require.nonNull(clock, "clock"),
        Require.nonNull(listener, "listener"));
  }

  /**
   * Returns the full trace the entry belongs to: every entry across the layers, with history and
   * errors.
   *
   * @param id any entry of the trace
   * @return the trace
   * @throws NoSuchEntryException if there is no such entry
   */
  public TraceView trace(EntryId id) {
    return trace(find(id).traceId());
  }

  /**
   * Returns a trace by its id, as the Core App sees it in the {@code postoffice-trace-id} header.
   *
   * @param traceId the trace
   * @return the trace; empty if no entry has that trace id
   */
  public TraceView trace(TraceId traceId) {
    List<TracedEntry> traced = new ArrayList<>();
    for (Entry e : sourcesFirst(store.findByTrace(Require.nonNull(traceId, "traceId")))) {
      traced.add(new TracedEntry(e, store.history(e.id())));
    }
    return new TraceView(traceId, traced);
  }

  /**
   * Orders a trace's entries so that each comes right after its source's subtree starts (depth
   * first), keeping the store's order (creation time) among siblings. Creation time alone cannot:
   * the entries a worker stores in one commit (several layers of one message) share it.
   */
  private static List<Entry> sourcesFirst(List<Entry> entries) {
    Map<EntryId, List<Entry>> children = new HashMap<>();
    Set<EntryId> ids = new HashSet<>();
    entries.forEach(e -> ids.add(e.id()));
    List<Entry> roots = new ArrayList<>();
    for (Entry e : entries) {
      if (e.sourceId() != null && ids.contains(e.sourceId()) && !e.sourceId().equals(e.id())) {
        children.computeIfAbsent(e.sourceId(), k -> new ArrayList<>()).add(e);
      } else {
        roots.add(e);
      }
    }
    List<Entry> ordered = new ArrayList<>(entries.size());
    Set<EntryId> placed = new HashSet<>();
    Deque<Entry> stack = new ArrayDeque<>();
    for (Entry root : roots) {
      stack.push(root);
      while (!stack.isEmpty()) {
        Entry e = stack.pop();
        if (!placed.add(e.id())) {
          continue;
        }
        ordered.add(e);
        List<Entry> below = children.getOrDefault(e.id(), List.of());
        for (int i = below.size() - 1; i >= 0; i--) {
          stack.push(below.get(i));
        }
      }
    }
    for (Entry e :
        entries) { // a source cycle (never written by the engine) leaves entries unplaced
      if (placed.add(e.id())) {
        ordered.add(e);
      }
    }
    return ordered;
  }

  /**
   * Returns an entry's lineage both ways: back to the raw receipt and forward to everything it
   * produced.
   *
   * @param id the entry
   * @return the lineage
   * @throws NoSuchEntryException if there is no such entry
   */
  public Lineage lineage(EntryId id) {
    Entry entry = find(id);
    Deque<Entry> ancestors = new ArrayDeque<>();
    Set<EntryId> seen = new HashSet<>();
    seen.add(entry.id());
    EntryId source = entry.sourceId();
    while (source != null && seen.add(source) && ancestors.size() < MAX_LINEAGE) {
      Entry parent = store.find(source).orElse(null);
      if (parent == null) {
        break;
      }
      ancestors.addFirst(parent);
      source = parent.sourceId();
    }
    List<Entry> descendants = new ArrayList<>();
    Deque<EntryId> frontier = new ArrayDeque<>(List.of(entry.id()));
    while (!frontier.isEmpty() && descendants.size() < MAX_LINEAGE) {
      for (Entry child : store.findBySource(frontier.poll())) {
        if (seen.add(child.id())) {
          descendants.add(child);
          frontier.add(child.id());
        }
      }
    }
    return new Lineage(entry, new ArrayList<>(ancestors), descendants);
  }

  /**
   * Lists a route's entries that need an operator: {@code FAILED} and {@code REJECTED}, oldest
   * first.
   *
   * @param route the route's name
   * @param limit the most to return
   * @return the entries, without payloads
   */
  public List<Entry> failed(String route, int limit) {
    return store.query(EntryQuery.of(RouteId.of(route), limit, Status.FAILED, Status.REJECTED));
  }

  /**
   * Returns the unfinished entry ({@code JUST_IN}, {@code RETRYING} or {@code QUEUED}) of a route
   * and layer that has gone longest without a status change: its {@code updatedAt} says how long it
   * has waited. One indexed query; metrics read it for the age of the oldest waiting entry.
   *
   * @param route the route's name
   * @param layer the layer
   * @return the entry, without payload; empty if nothing of that route and layer is waiting
   */
  public Optional<Entry> oldestWaiting(String route, Layer layer) {
    EntryQuery query =
        new EntryQuery(
            RouteId.of(route),
            Require.nonNull(layer, "layer"),
            Set.of(Status.JUST_IN, Status.RETRYING, Status.QUEUED),
            null,
            1,
            false);
    return store.query(query).stream().findFirst();
  }

  /**
   * Replays an entry from its layer: it runs again through the current stages (after a mapping fix,
   * say). Its previous outputs are marked {@code SUPERSEDED}, not deleted, and the new outputs get
   * new ids.
   *
   * @param id the entry
   * @param reason why, for the history
   * @return the replayed entry, {@code JUST_IN}
   * @throws NoSuchEntryException if there is no such entry
   * @throws dev.postoffice.IllegalStatusTransitionException if the entry cannot be replayed from
   *     its status
   */
  public Entry replay(EntryId id, String reason) {
    return replayWithDetail(id, "replayed by operator: " + Require.nonBlank(reason, "reason"));
  }

  private Entry replayWithDetail(EntryId id, String detail) {
    if (!events.enabled()) {
      return store.replay(id, detail, clock.instant());
    }
    // The store reports only the replayed entry: read what it and its outputs were before, to say
    // what each one moved from (an operator call, so three reads cost nothing that matters).
    Entry before = find(id);
    Map<EntryId, Entry> outputsBefore = new HashMap<>();
    for (Entry output : store.findBySource(id)) {
      outputsBefore.put(output.id(), output);
    }
    Instant at = clock.instant();
    Entry replayed = store.replay(id, detail, at);
    events.moved(replayed, before.status(), replayed.status(), detail, at);
    for (Entry output : store.findBySource(id)) {
      Entry was = outputsBefore.get(output.id());
      if (was != null && was.status() != output.status() && output.status() == Status.SUPERSEDED) {
        events.moved(output, was.status(), Status.SUPERSEDED, detail, at);
      }
    }
    return replayed;
  }

  /**
   * Replays an entry for an operator, recording who asked in its history, as {@link
   * #replay(EntryId, String)} does otherwise.
   *
   * @param id the entry
   * @param reason why, for the history
   * @param requestedBy who asked (a user name), for the history
   * @return the replayed entry, {@code JUST_IN}
   * @throws NoSuchEntryException if there is no such entry
   * @throws dev.postoffice.IllegalStatusTransitionException if the entry cannot be replayed from
   *     its status
   */
  public Entry replay(EntryId id, String reason, String requestedBy) {
    return replayWithDetail(
        id,
        "replayed by operator "
            + Require.nonBlank(requestedBy, "requestedBy")
            + ": "
            + Require.nonBlank(reason, "reason"));
  }

  /**
   * Reads one page of entries, newest first, keyset-paginated: pass {@link EntryPage#next()} to
   * {@link EntrySearch#withAfter(String)} for the next page. Entries added meanwhile do not shift
   * the pages.
   *
   * @param search the criteria and page
   * @return the page, without payloads
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public EntryPage search(EntrySearch search) {
    return store.search(Require.nonNull(search, "search"));
  }

  /**
   * Counts the entries a filter selects now: what a bulk replay of it would touch.
   *
   * @param filter the criteria (cursor and page size ignored)
   * @return how many entries match
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public long count(EntrySearch filter) {
    return store.count(Require.nonNull(filter, "filter"));
  }

  /**
   * Finds a message by the id people hold for it: the partner's delivery id (the dedup key, such as
   * {@code X-Shopify-Webhook-Id}) upstream, the Core App's message id downstream. Duplicates of the
   * first receipt are included.
   *
   * @param deliveryId the id
   * @return the entries stored with it, oldest first, without payloads; empty if none
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public List<Entry> findByDeliveryId(String deliveryId) {
    return store.findByDedupKey(Require.nonBlank(deliveryId, "deliveryId"));
  }

  /**
   * Pauses a route on every node sharing the store: no stage claims its entries until it is
   * resumed; intake still stores what arrives. Each node learns of it within its pause refresh
   * interval (about a second). Pausing a paused route returns the existing pause.
   *
   * @param route the route's name
   * @param by who pauses it
   * @return the pause
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public RoutePause pause(String route, String by) {
    return store.pauseRoute(RouteId.of(route), Require.nonBlank(by, "by"), clock.instant());
  }

  /**
   * Resumes a paused route.
   *
   * @param route the route's name
   * @param by who resumes it
   * @return true if it was paused
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public boolean resume(String route, String by) {
    return store.resumeRoute(RouteId.of(route), Require.nonBlank(by, "by"), clock.instant());
  }

  /**
   * Returns the paused routes.
   *
   * @return the pauses by route
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public Map<RouteId, RoutePause> pausedRoutes() {
    return store.pausedRoutes();
  }

  /**
   * Starts a bulk replay of every entry a filter selects now, as a tracked job that a running
   * pipeline works through (on any node), rate-limited, recording who asked in each entry's
   * history. Idempotent: while a job with an equal filter runs, that job is returned.
   *
   * @param filter which entries (cursor and page size ignored)
   * @param reason why, for the history
   * @param requestedBy who asks
   * @return the job
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public ReplayJob startBulkReplay(EntrySearch filter, String reason, String requestedBy) {
    return store.startReplayJob(
        Require.nonNull(filter, "filter").filter(),
        Require.nonBlank(requestedBy, "requestedBy"),
        Require.nonBlank(reason, "reason"),
        clock.instant());
  }

  /**
   * Finds a bulk replay job, for its progress.
   *
   * @param id the job's id
   * @return the job, or empty
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public Optional<ReplayJob> replayJob(String id) {
    return store.replayJob(Require.nonNull(id, "id"));
  }

  /**
   * Lists bulk replay jobs, newest first.
   *
   * @param limit the most to return
   * @return the jobs
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public List<ReplayJob> replayJobs(int limit) {
    return store.replayJobs(limit);
  }

  /**
   * Cancels a bulk replay job; the node working on it stops after the page in hand. Entries
   * replayed before stay replayed.
   *
   * @param id the job's id
   * @param by who cancels it
   * @return the job as it is now; empty if there is no such job
   * @throws UnsupportedOperationException if the store has no operator methods
   */
  public Optional<ReplayJob> cancelReplayJob(String id, String by) {
    return store.cancelReplayJob(
        Require.nonNull(id, "id"), Require.nonBlank(by, "by"), clock.instant());
  }

  /**
   * Summarises every route that has entries or is paused, by name.
   *
   * @return one summary per route
   */
  public List<RouteSummary> routeSummaries() {
    Map<RouteId, Map<Layer, Map<Status, Long>>> counts = new TreeMap<>();
    for (StatusCount c : store.countByStatus()) {
      counts
          .computeIfAbsent(c.route(), r -> new EnumMap<>(Layer.class))
          .computeIfAbsent(c.layer(), l -> new EnumMap<>(Status.class))
          .merge(c.status(), c.count(), Long::sum);
    }
    Map<RouteId, RoutePause> pauses =
        store.capabilities().operatorApi() ? store.pausedRoutes() : Map.of();
    pauses.keySet().forEach(r -> counts.computeIfAbsent(r, k -> new EnumMap<>(Layer.class)));
    List<RouteSummary> summaries = new ArrayList<>(counts.size());
    counts.forEach(
        (route, byLayer) ->
            summaries.add(summary(route, byLayer, Optional.ofNullable(pauses.get(route)))));
    return summaries;
  }

  /**
   * Summarises one route.
   *
   * @param route the route's name
   * @return its summary (with no counts if it has no entries)
   */
  public RouteSummary routeSummary(String route) {
    RouteId id = RouteId.of(route);
    return routeSummaries().stream()
        .filter(s -> s.route().equals(id))
        .findFirst()
        .orElseGet(() -> new RouteSummary(id, Map.of(), Optional.empty(), Optional.empty()));
  }

  private RouteSummary summary(
      RouteId route, Map<Layer, Map<Status, Long>> byLayer, Optional<RoutePause> pause) {
    Instant now = clock.instant();
    Instant oldest = null;
    for (Map.Entry<Layer, Map<Status, Long>> layer : byLayer.entrySet()) {
      boolean waiting = layer.getValue().keySet().stream().anyMatch(s -> !s.isTerminal());
      if (waiting) {
        Optional<Entry> e = oldestWaiting(route.value(), layer.getKey());
        if (e.isPresent() && (oldest == null || e.get().updatedAt().isBefore(oldest))) {
          oldest = e.get().updatedAt();
        }
      }
    }
    Optional<Duration> age =
        oldest == null
            ? Optional.empty()
            : Optional.of(now.isAfter(oldest) ? Duration.between(oldest, now) : Duration.ZERO);
    return new RouteSummary(route, byLayer, age, pause);
  }

  /**
   * Counts entries per route, layer and status.
   *
   * @return the counts
   */
  public List<StatusCount> stats() {
    return store.countByStatus();
  }

  /**
   * Renders {@link #stats()} as a table.
   *
   * @return the table
   */
  public String statsTable() {
    return StatusTable.render(stats());
  }

  private Entry find(EntryId id) {
    return store.find(Require.nonNull(id, "id")).orElseThrow(() -> new NoSuchEntryException(id));
  }
}
