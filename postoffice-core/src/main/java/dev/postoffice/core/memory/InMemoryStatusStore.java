package dev.postoffice.core.memory;

import dev.postoffice.NoSuchEntryException;
import dev.postoffice.core.internal.Require;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.HeldLease;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StaleCursorException;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.StorableText;
import dev.postoffice.spi.StoreCapabilities;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reference {@link StatusStore}: every entry, its history and the polling cursors held in this JVM's
 * heap. The engine's own tests run on it, and hosts use it to test their routes; it passes the same
 * {@code StatusStoreContract} as the database stores.
 *
 * <p>What it is not: durable (the data is gone when the JVM stops) or shared between processes
 * ({@code capabilities()} says {@code durable=false, sharedAcrossNodes=false}); the engine refuses to run
 * several nodes on it. Concurrent claimers in this JVM never get the same entry while its lease holds.
 *
 * <p>Memory: it holds what you put in, and nothing is dropped by itself. A long-running host calls
 * {@link #purgeFinishedBefore(Instant)} now and then to drop finished entries and their history.
 *
 * <p>Speed: claims and commits use per-route-and-layer indexes of claimable entries (by creation time, next
 * attempt time and lease expiry), so they cost O(batch &middot; log n) whatever the backlog; operator queries
 * ({@link #query}, {@link #countByStatus} aside) scan.
 *
 * <p>Thread-safe: every method is one atomic step under one lock.
 *
 * <pre>{@code
 * StatusStore store = InMemoryStatusStore.create();
 * }</pre>
 */
public final class InMemoryStatusStore implements StatusStore {
  /** The most entries one lock hold of {@link #purgeFinishedBefore} drops. */
  static final int PURGE_CHUNK = 1_000;

  private static final StoreCapabilities CAPABILITIES = new StoreCapabilities(false, false, true);
  private static final List<Status> TERMINAL =
      Arrays.stream(Status.values()).filter(Status::isTerminal).toList();
  private static final Comparator<Entry> BY_CREATION =
      Comparator.comparing(Entry::createdAt).thenComparing(e -> e.id().value());
  private static final Comparator<Entry> BY_UPDATE =
      Comparator.comparing(Entry::updatedAt).thenComparing(e -> e.id().value());

  private record LaneKey(RouteId route, Layer layer) {}

  private record DedupKey(RouteId route, String key) {}

  private record CursorKey(RouteId route, String name) {}

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<EntryId, StoredEntry> byId = new HashMap<>();
  private final Map<TraceId, List<StoredEntry>> byTrace = new HashMap<>();
  private final Map<DedupKey, EntryId> dedup = new HashMap<>();
  private final Map<CursorKey, String> cursors = new HashMap<>();
  // Each lane also lists its entries by status, so a query by status (failed entries, overdue Queued ones)
  // reads only the matching entries instead of scanning the store under the lock.
  private final Map<LaneKey, Lane> lanes = new HashMap<>();
  private long nextSeq;

  private InMemoryStatusStore() {}

  /**
   * Returns a new, empty store.
   *
   * @return the store
   */
  public static InMemoryStatusStore create() {
    return new InMemoryStatusStore();
  }

  @Override
  public StoreCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public List<IntakeResult> intake(List<NewEntry> entries, Instant now) {
    Require.nonNull(entries, "entries");
    Require.nonNull(now, "now");
    lock.lock();
    try {
      return doIntake(entries, now);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now) {
    Require.nonNull(entries, "entries");
    Require.nonNull(cursor, "cursor");
    Require.nonNull(now, "now");
    lock.lock();
    try {
      CursorKey key = new CursorKey(cursor.route(), cursor.name());
      String actual = cursors.get(key);
      if (!Objects.equals(actual, cursor.expected())) {
        throw new StaleCursorException(cursor.route(), cursor.name(), cursor.expected(), actual);
      }
      List<IntakeResult> results = doIntake(entries, now);
      cursors.put(key, cursor.next());
      return results;
    } finally {
      lock.unlock();
    }
  }

  private List<IntakeResult> doIntake(List<NewEntry> entries, Instant now) {
    for (NewEntry e : entries) {
      if (e != null && e.finishedAs() != null) {
        throw new IllegalArgumentException("intake: entry " + e.id() + " has finishedAs " + e.finishedAs().name()
            + "; only a completion's outputs can be stored finished");
      }
    }
    if (entries.size() == 1) {
      return List.of(intakeOne(Require.nonNull(entries.get(0), "entries[0]"), now));
    }
    // Decide everything first, so that a bad argument leaves the store untouched: all or nothing.
    List<IntakeResult> results = new ArrayList<>(entries.size());
    Map<EntryId, IntakeResult> newInCall = new LinkedHashMap<>();
    Map<EntryId, NewEntry> toInsert = new LinkedHashMap<>();
    Map<DedupKey, EntryId> keysInCall = new HashMap<>();
    for (NewEntry n : entries) {
      if (n == null) {
        throw new NullPointerException("entries[" + results.size() + "] cannot be null");
      }
      StoredEntry existing = byId.get(n.id());
      IntakeResult earlier = newInCall.get(n.id());
      if (existing != null) {
        results.add(new IntakeResult(n.id(), existing.duplicateOf));
      } else if (earlier != null) {
        results.add(earlier);
      } else {
        EntryId original = null;
        if (n.dedupKey() != null) {
          DedupKey key = new DedupKey(n.route(), n.dedupKey());
          original = dedup.get(key);
          if (original == null) {
            original = keysInCall.putIfAbsent(key, n.id());
          }
        }
        IntakeResult result = new IntakeResult(n.id(), original);
        newInCall.put(n.id(), result);
        toInsert.put(n.id(), n);
        results.add(result);
      }
    }
    for (NewEntry n : toInsert.values()) {
      insert(n, newInCall.get(n.id()).duplicateOf(), now);
    }
    dedup.putAll(keysInCall);
    return results;
  }

  /** The common case of one message per call, without the bookkeeping a batch needs. */
  private IntakeResult intakeOne(NewEntry n, Instant now) {
    StoredEntry existing = byId.get(n.id());
    if (existing != null) {
      return new IntakeResult(n.id(), existing.duplicateOf);
    }
    EntryId original = null;
    if (n.dedupKey() != null) {
      DedupKey key = new DedupKey(n.route(), n.dedupKey());
      original = dedup.putIfAbsent(key, n.id());
    }
    insert(n, original, now);
    return new IntakeResult(n.id(), original);
  }

  private void insert(NewEntry n, EntryId duplicateOf, Instant now) {
    insert(n, duplicateOf, now, null);
  }

  /**
   * Stores a new entry unless one with its id exists (then returns false and changes nothing).
   * {@code knownSource} is the entry being committed when it is the new entry's source, which spares a
   * lookup; null to look the source up.
   */
  private boolean insert(NewEntry n, EntryId duplicateOf, Instant now, StoredEntry knownSource) {
    boolean finished = n.finishedAs() != null && duplicateOf == null;
    Status status = duplicateOf != null ? Status.DUPLICATE : finished ? n.finishedAs() : Status.JUST_IN;
    Lease lease = status == Status.JUST_IN ? n.lease() : null;
    // The canonical constructor rather than a builder: this runs for every entry, and so do the ones below.
    Entry entry = new Entry(n.id(), n.route(), n.direction(), n.layer(), status, n.payload(), n.headers(),
        n.sourceId(), n.traceId(), n.dedupKey(), lease == null && !finished ? 0 : 1, null, null, 0,
        n.producedBy(), lease, now, now);
    StoredEntry rec = new StoredEntry(nextSeq, entry, duplicateOf, lane(entry));
    if (byId.putIfAbsent(entry.id(), rec) != null) {
      return false;
    }
    nextSeq++;
    if (finished) {
      rec.history.add(new HistoryRecord(entry.id(), null, Status.JUST_IN, now, null));
      rec.history.add(new HistoryRecord(entry.id(), Status.JUST_IN, status, now, n.finishedDetail()));
    } else {
      rec.history.add(new HistoryRecord(entry.id(), null, status, now,
          duplicateOf == null ? null : "duplicate of " + duplicateOf));
    }
    StoredEntry source = entry.sourceId() == null ? null
        : knownSource != null && knownSource.entry.id().equals(entry.sourceId()) ? knownSource
        : byId.get(entry.sourceId());
    if (source != null) {
      if (source.children == null) {
        source.children = new ArrayList<>(2);
      }
      source.children.add(rec);
    }
    // An entry whose source is in the same trace is found from that source (findByTrace walks down the
    // lineage); only the others are indexed by trace, which spares a map update per derived entry.
    if (source == null || !source.entry.traceId().equals(entry.traceId())) {
      traceRoot(rec);
    }
    rec.lane.list(rec);
    rec.lane.place(rec, now);
    return true;
  }

  private void traceRoot(StoredEntry rec) {
    rec.traceRoot = true;
    byTrace.computeIfAbsent(rec.entry.traceId(), k -> new ArrayList<>(1)).add(rec);
  }

  @Override
  public Optional<String> cursor(RouteId route, String name) {
    Require.nonNull(route, "route");
    Require.nonNull(name, "name");
    lock.lock();
    try {
      return Optional.ofNullable(cursors.get(new CursorKey(route, name)));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Entry> claim(ClaimRequest request) {
    Require.nonNull(request, "request");
    Instant now = request.now();
    Lease lease = new Lease(request.owner(), now.plus(request.leaseDuration()));
    lock.lock();
    try {
      Lane lane = lanes.get(new LaneKey(request.route(), request.layer()));
      if (lane == null) {
        return List.of();
      }
      List<StoredEntry> due = lane.takeDue(request.limit(), now);
      List<Entry> claimed = new ArrayList<>(due.size());
      for (StoredEntry rec : due) {
        Entry p = rec.entry;
        Entry e = new Entry(p.id(), p.route(), p.direction(), p.layer(), p.status(), p.payload(), p.headers(),
            p.sourceId(), p.traceId(), p.dedupKey(), p.attempts() + 1, p.nextAttemptAt(), p.lastError(),
            p.generation(), p.producedBy(), lease, p.createdAt(), now);
        rec.entry = e;
        lane.list(rec);
        lane.place(rec, now);
        claimed.add(e);
      }
      return claimed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public CommitResult commit(List<Completion> completions, Instant now) {
    Require.nonNull(completions, "completions");
    Require.nonNull(now, "now");
    lock.lock();
    try {
      // Check every move before writing anything: an illegal one fails the whole call.
      StoredEntry[] recs = new StoredEntry[completions.size()];
      for (int i = 0; i < recs.length; i++) {
        Completion c = completions.get(i);
        Require.nonNull(c, "completions[i]");
        StoredEntry rec = byId.get(c.entryId());
        if (holds(rec, c)) {
          Status.checkMove(c.entryId(), rec.entry.status(), c.newStatus());
          recs[i] = rec;
        }
      }
      List<EntryId> applied = new ArrayList<>(recs.length);
      List<EntryId> refused = new ArrayList<>(0);
      for (int i = 0; i < recs.length; i++) {
        Completion c = completions.get(i);
        StoredEntry rec = recs[i];
        if (rec == null) {
          refused.add(c.entryId());
          continue;
        }
        Entry e = rec.entry;
        update(rec, new Entry(e.id(), e.route(), e.direction(), e.layer(), c.newStatus(), e.payload(), e.headers(),
            e.sourceId(), e.traceId(), e.dedupKey(), e.attempts(), c.nextAttemptAt(), c.lastError(),
            e.generation(), e.producedBy(), null, e.createdAt(), now), now);
        rec.history.add(new HistoryRecord(e.id(), e.status(), c.newStatus(), now, c.detail()));
        for (NewEntry output : c.outputs()) {
          insert(output, null, now, rec); // an output already stored (a rerun) is left as it is
        }
        applied.add(c.entryId());
      }
      return new CommitResult(applied, refused);
    } finally {
      lock.unlock();
    }
  }

  private static boolean holds(StoredEntry rec, Completion c) {
    if (rec == null) {
      return false;
    }
    Entry e = rec.entry;
    return e.status().isClaimable()
        && e.lease() != null
        && e.lease().owner().equals(c.owner())
        && e.attempts() == c.leaseToken();
  }

  @Override
  public Optional<Entry> transition(EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    Require.nonNull(id, "id");
    Require.nonNull(from, "from");
    Require.nonNull(to, "to");
    Require.nonNull(now, "now");
    detail = StorableText.detail(detail); // the same text as every store keeps
    lock.lock();
    try {
      StoredEntry rec = existing(id);
      Entry e = rec.entry;
      if (!from.contains(e.status())) {
        return Optional.empty();
      }
      Status.checkMove(id, e.status(), to);
      Entry changed = new Entry(e.id(), e.route(), e.direction(), e.layer(), to, e.payload(), e.headers(),
          e.sourceId(), e.traceId(), e.dedupKey(), e.attempts(), null, lastError(e, to, detail), e.generation(),
          e.producedBy(), null, e.createdAt(), now);
      update(rec, changed, now);
      rec.history.add(new HistoryRecord(id, e.status(), to, now, detail));
      return Optional.of(changed);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now) {
    Require.nonNull(ids, "ids");
    Require.nonNull(from, "from");
    Require.nonNull(to, "to");
    Require.nonNull(now, "now");
    StatusStore.checkMovable(from, to);
    detail = StorableText.detail(detail);
    Set<EntryId> moved = new HashSet<>();
    lock.lock();
    try {
      for (EntryId id : ids) {
        StoredEntry rec = byId.get(Require.nonNull(id, "ids[]"));
        if (rec == null || !from.contains(rec.entry.status()) || moved.contains(id)) {
          continue;
        }
        Entry e = rec.entry;
        Entry changed = new Entry(e.id(), e.route(), e.direction(), e.layer(), to, e.payload(), e.headers(),
            e.sourceId(), e.traceId(), e.dedupKey(), e.attempts(), null, lastError(e, to, detail), e.generation(),
            e.producedBy(), null, e.createdAt(), now);
        update(rec, changed, now);
        rec.history.add(new HistoryRecord(id, e.status(), to, now, detail));
        moved.add(id);
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  /** A transition to FAILED or REJECTED records its detail as the entry's last error (StatusStore#transition). */
  private static String lastError(Entry e, Status to, String detail) {
    return to == Status.FAILED || to == Status.REJECTED ? detail : e.lastError();
  }

  @Override
  public Entry replay(EntryId id, String detail, Instant now) {
    Require.nonNull(id, "id");
    Require.nonNull(now, "now");
    detail = StorableText.detail(detail);
    lock.lock();
    try {
      StoredEntry rec = existing(id);
      Entry e = rec.entry;
      Status.checkMove(id, e.status(), Status.JUST_IN);
      Entry replayed = e.toBuilder()
          .status(Status.JUST_IN)
          .generation(e.generation() + 1)
          .attempts(0)
          .lease(null)
          .lastError(null)
          .nextAttemptAt(null)
          .updatedAt(now)
          .build();
      update(rec, replayed, now);
      rec.history.add(new HistoryRecord(id, e.status(), Status.JUST_IN, now, detail));
      for (StoredEntry child : rec.children == null ? List.<StoredEntry>of() : rec.children) {
        EntryId childId = child.entry.id();
        Status s = child.entry.status();
        if (s != Status.DUPLICATE && s != Status.SUPERSEDED) {
          update(child, child.entry.toBuilder()
              .status(Status.SUPERSEDED).lease(null).nextAttemptAt(null).updatedAt(now).build(), now);
          child.history.add(new HistoryRecord(childId, s, Status.SUPERSEDED, now, detail));
        }
      }
      return replayed;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public int release(String owner, Instant now) {
    Require.nonNull(owner, "owner");
    Require.nonNull(now, "now");
    lock.lock();
    try {
      int released = 0;
      for (Lane lane : lanes.values()) {
        for (StoredEntry rec : lane.withLease()) {
          Entry e = rec.entry;
          if (e.lease().owner().equals(owner)) {
            // The attempt stays counted: attempts is the fencing token, and a token must never be handed out
            // twice (a worker of this node still running after shutdown would otherwise match a later claim).
            update(rec, e.toBuilder().lease(null).updatedAt(now).build(), now);
            released++;
          }
        }
      }
      return released;
    } finally {
      lock.unlock();
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here the store's clock is the {@code now} given: one process, one clock.
   */
  @Override
  public Set<EntryId> renew(String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    StatusStore.checkRenewal(owner, leases, leaseDuration, now);
    Instant until = now.plus(leaseDuration);
    Set<EntryId> held = new HashSet<>();
    lock.lock();
    try {
      for (HeldLease lease : leases) {
        StoredEntry rec = byId.get(lease.entryId());
        if (rec == null || held.contains(lease.entryId())) {
          continue;
        }
        Entry e = rec.entry;
        if (!e.status().isClaimable() || e.lease() == null || !e.lease().owner().equals(owner)
            || e.attempts() != lease.token()) {
          continue;
        }
        if (e.lease().expiresAt().isBefore(until)) {
          // Not through update(): the status lists are ordered by updatedAt, which a renewal leaves as it is.
          rec.entry = e.toBuilder().lease(new Lease(owner, until)).build();
          rec.lane.place(rec, now);
        }
        held.add(e.id());
      }
      return held;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<Entry> find(EntryId id) {
    Require.nonNull(id, "id");
    lock.lock();
    try {
      StoredEntry rec = byId.get(id);
      return rec == null ? Optional.empty() : Optional.of(rec.entry);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<HistoryRecord> history(EntryId id) {
    Require.nonNull(id, "id");
    lock.lock();
    try {
      StoredEntry rec = byId.get(id);
      return rec == null ? List.of() : List.copyOf(rec.history);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Entry> findByTrace(TraceId traceId) {
    Require.nonNull(traceId, "traceId");
    lock.lock();
    try {
      List<StoredEntry> found = new ArrayList<>();
      for (StoredEntry root : byTrace.getOrDefault(traceId, List.of())) {
        descendants(root, traceId, found);
      }
      return listing(found);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Entry> findBySource(EntryId sourceId) {
    Require.nonNull(sourceId, "sourceId");
    lock.lock();
    try {
      StoredEntry source = byId.get(sourceId);
      return source == null || source.children == null ? List.of() : listing(source.children);
    } finally {
      lock.unlock();
    }
  }

  /** Adds an entry and, depth first, the entries of the same trace derived from it. */
  private static void descendants(StoredEntry rec, TraceId traceId, List<StoredEntry> out) {
    out.add(rec);
    if (rec.children != null) {
      for (StoredEntry child : rec.children) {
        if (!child.traceRoot && child.entry.traceId().equals(traceId)) {
          descendants(child, traceId, out);
        }
      }
    }
  }

  private static List<Entry> listing(List<StoredEntry> recs) {
    List<Entry> out = new ArrayList<>(recs.size());
    for (StoredEntry rec : recs) {
      out.add(withoutPayload(rec.entry));
    }
    out.sort(BY_CREATION);
    return out;
  }

  @Override
  public List<Entry> query(EntryQuery query) {
    Require.nonNull(query, "query");
    lock.lock();
    try {
      List<Entry> out = new ArrayList<>();
      for (StoredEntry rec : candidates(query)) {
        Entry e = rec.entry;
        if ((query.route() == null || query.route().equals(e.route()))
            && (query.layer() == null || query.layer() == e.layer())
            && (query.statuses().isEmpty() || query.statuses().contains(e.status()))
            && (query.updatedBefore() == null || e.updatedAt().isBefore(query.updatedBefore()))) {
          out.add(e);
        }
      }
      out.sort(BY_UPDATE);
      List<Entry> page = new ArrayList<>(Math.min(out.size(), query.limit()));
      for (Entry e : out.subList(0, Math.min(out.size(), query.limit()))) {
        page.add(query.withPayload() ? e : withoutPayload(e));
      }
      return page;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<StatusCount> countByStatus() {
    lock.lock();
    try {
      List<StatusCount> out = new ArrayList<>();
      for (Lane lane : lanes.values()) {
        for (Status status : Status.values()) {
          long n = lane.count(status);
          if (n > 0) {
            out.add(new StatusCount(lane.route, lane.layer, status, n));
          }
        }
      }
      out.sort(Comparator.comparing(StatusCount::route)
          .thenComparing(StatusCount::layer).thenComparing(StatusCount::status));
      return out;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long backlog(RouteId route) {
    Require.nonNull(route, "route");
    lock.lock();
    try {
      long n = 0;
      for (Layer layer : Layer.values()) {
        Lane lane = lanes.get(new LaneKey(route, layer));
        if (lane != null) {
          n += lane.count(Status.JUST_IN) + lane.count(Status.RETRYING);
        }
      }
      return n;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops finished entries (status {@linkplain Status#isTerminal() terminal}) last updated strictly before a
   * time, with their history, so a long-running host's memory stays flat. Their dedup keys are forgotten
   * too: a partner message arriving again after its entry was purged is taken as new, so keep finished
   * entries longer than partners may resend. Lineage queries no longer show purged entries.
   *
   * <p>Works in chunks of {@value #PURGE_CHUNK} entries, taking the store's lock once per chunk, so that a
   * large purge lets the pipeline's claims and commits in between instead of stalling them for its length.
   *
   * @param cutoff entries updated before this time go
   * @return how many entries were dropped
   * @throws NullPointerException if cutoff is null
   */
  public int purgeFinishedBefore(Instant cutoff) {
    Require.nonNull(cutoff, "cutoff");
    int dropped = 0;
    while (true) {
      int chunk;
      lock.lock();
      try {
        chunk = purgeChunk(cutoff);
      } finally {
        lock.unlock();
      }
      dropped += chunk;
      if (chunk == 0) {
        return dropped;
      }
    }
  }

  /** Drops up to {@value #PURGE_CHUNK} finished entries updated before the cutoff; call under the lock. */
  private int purgeChunk(Instant cutoff) {
    // Read the terminal statuses' lists, oldest change first, rather than every entry: a host purging
    // often reads little more than what it drops. Each list gives an equal share of the chunk, so the layers
    // of the same traces (finished at about the same time) tend to go together.
    int lists = 0;
    for (Lane lane : lanes.values()) {
      for (Status status : TERMINAL) {
        if (lane.count(status) > 0) {
          lists++;
        }
      }
    }
    int share = Math.max(1, PURGE_CHUNK / Math.max(1, lists));
    List<StoredEntry> doomed = new ArrayList<>(PURGE_CHUNK);
    for (Lane lane : lanes.values()) {
      for (Status status : TERMINAL) {
        if (lane.count(status) > 0) {
          lane.collect(status, cutoff, share, false, doomed);
        }
      }
    }
    if (doomed.size() > PURGE_CHUNK) {
      doomed = doomed.subList(0, PURGE_CHUNK);
    }
    // A whole trace usually goes in one chunk: marking the chunk first spares unlinking an entry from a source
    // that goes too, and indexing by trace a child that goes too (four map updates per entry otherwise).
    for (StoredEntry rec : doomed) {
      rec.purging = true;
    }
    for (StoredEntry rec : doomed) {
      Entry e = rec.entry;
      Lane.remove(rec);
      byId.remove(e.id());
      rec.lane.unlist(rec);
      StoredEntry source = e.sourceId() == null ? null : byId.get(e.sourceId());
      if (source != null && !source.purging && source.children != null) {
        source.children.remove(rec);
      }
      if (rec.traceRoot) {
        List<StoredEntry> trace = byTrace.get(e.traceId());
        if (trace != null && trace.remove(rec) && trace.isEmpty()) {
          byTrace.remove(e.traceId());
        }
      }
      // Entries found through this one by trace are indexed by trace themselves from now on.
      if (rec.children != null) {
        for (StoredEntry child : rec.children) {
          if (!child.traceRoot && !child.purging && byId.get(child.entry.id()) == child) {
            traceRoot(child);
          }
        }
      }
      if (e.dedupKey() != null) {
        dedup.remove(new DedupKey(e.route(), e.dedupKey()), e.id());
      }
    }
    return doomed.size();
  }

  /** Does nothing: the data stays readable, so tests can inspect it after the engine closed. */
  @Override
  public void close() {
    // Nothing to release: the entries are ordinary heap objects.
  }

  @Override
  public String toString() {
    lock.lock();
    try {
      return "InMemoryStatusStore[" + byId.size() + " entries]";
    } finally {
      lock.unlock();
    }
  }

  private StoredEntry existing(EntryId id) {
    StoredEntry rec = byId.get(id);
    if (rec == null) {
      throw new NoSuchEntryException(id);
    }
    return rec;
  }

  private void update(StoredEntry rec, Entry changed, Instant now) {
    rec.entry = changed;
    rec.lane.list(rec);
    rec.lane.place(rec, now);
  }

  private Lane lane(Entry e) {
    return lanes.computeIfAbsent(new LaneKey(e.route(), e.layer()), k -> new Lane(k.route(), k.layer()));
  }

  private Iterable<StoredEntry> candidates(EntryQuery query) {
    if (query.statuses().isEmpty()) {
      return byId.values();
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

  private static Entry withoutPayload(Entry e) {
    return e.payload() == null ? e : e.toBuilder().payload(null).build();
  }

  /** Only for tests in this package: the number of stored entries. */
  int size() {
    lock.lock();
    try {
      return byId.size();
    } finally {
      lock.unlock();
    }
  }
}
