package dev.postoffice.core.memory;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.core.internal.Require;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Lease;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.EntryCursor;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.HeldLease;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.RoutePause;
import dev.postoffice.spi.StaleCursorException;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.StorableText;
import dev.postoffice.spi.StoreCapabilities;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The reference {@link StatusStore}: every entry, its history and the polling cursors held in this
 * JVM's heap. The engine's own tests run on it, and hosts use it to test their routes; it passes
 * the same {@code StatusStoreContract} as the database stores.
 *
 * <p>What it is not: durable (the data is gone when the JVM stops) or shared between processes
 * ({@code capabilities()} says {@code durable=false, sharedAcrossNodes=false}); the engine refuses
 * to run several nodes on it. Concurrent claimers in this JVM never get the same entry while its
 * lease holds.
 *
 * <p>Memory: it holds what you put in, and nothing is dropped by itself. A long-running host calls
 * {@link #purgeFinishedBefore(Instant)} now and then to drop finished entries and their history.
 *
 * <p>Speed: claims and commits use per-route-and-layer indexes of claimable entries (by creation
 * time, next attempt time and lease expiry), so they cost O(batch &middot; log n) whatever the
 * backlog; operator queries ({@link #query}, {@link #countByStatus} aside) scan.
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

  private static final StoreCapabilities CAPABILITIES =
      StoreCapabilities.builder().skipLocked(true).operatorApi(true).build();
  private static final Comparator<Entry> BY_CREATION =
      Comparator.comparing(Entry::createdAt).thenComparing(e -> e.id().value());
  private static final Comparator<Entry> BY_UPDATE =
      Comparator.comparing(Entry::updatedAt).thenComparing(e -> e.id().value());

  private record CursorKey(RouteId route, String name) {}

  /** A query with no criteria: {@link EntryIndex#candidates} then yields every entry. */
  private static final EntryQuery ALL = new EntryQuery(null, null, Set.of(), null, 1, false);

  private final ReentrantLock lock = new ReentrantLock();
  // The entries and every index over them, which EntryIndex keeps consistent; this class holds the
  // lock and
  // applies the contract's rules (arguments, lookups, transitions, history).
  private final EntryIndex entries = new EntryIndex();
  private final Map<CursorKey, String> cursors = new HashMap<>();
  private final Map<RouteId, RoutePause> pauses = new HashMap<>();
  private final ReplayJobs replayJobs = new ReplayJobs();

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
      return intakeAll(entries, now);
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
      List<IntakeResult> results = intakeAll(entries, now);
      cursors.put(key, cursor.next());
      return results;
    } finally {
      lock.unlock();
    }
  }

  private List<IntakeResult> intakeAll(List<NewEntry> batch, Instant now) {
    // Check every entry before storing any, so that a bad argument leaves the store untouched: all
    // or nothing.
    for (NewEntry n : batch) {
      if (n != null && n.finishedAs() != null) {
        throw new IllegalArgumentException(
            "intake: entry "
                + n.id()
                + " has finishedAs "
                + n.finishedAs().name()
                + "; only a completion's outputs can be stored finished");
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i) == null) { // not Require.nonNull: that would build the name of every element
        throw new NullPointerException("entries[" + i + "] cannot be null");
      }
    }
    if (batch.size() == 1) {
      return List.of(intakeOne(batch.get(0), now)); // the common case: one message per call
    }
    List<IntakeResult> results = new ArrayList<>(batch.size());
    for (NewEntry n : batch) {
      results.add(
          intakeOne(n, now)); // an entry repeated in the batch, or its dedup key, meets the first
    }
    return results;
  }

  private IntakeResult intakeOne(NewEntry n, Instant now) {
    StoredEntry existing = entries.get(n.id());
    if (existing != null) {
      return new IntakeResult(
          n.id(), existing.duplicateOf); // intake retried: the first result stands
    }
    EntryId original = entries.original(n.route(), n.dedupKey());
    Status status = original == null ? Status.JUST_IN : Status.DUPLICATE;
    StoredEntry rec = entries.addTakenIn(EntrySnapshots.created(n, status, now), original);
    rec.recordChange(null, status, now, original == null ? null : "duplicate of " + original);
    return new IntakeResult(n.id(), original);
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
      List<StoredEntry> due =
          entries.takeDue(request.route(), request.layer(), request.limit(), now);
      List<Entry> claimed = new ArrayList<>(due.size());
      for (StoredEntry rec : due) {
        Entry e = EntrySnapshots.claimed(rec.entry, lease, now);
        entries.changed(rec, e, now);
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
      StoredEntry[] held = new StoredEntry[completions.size()];
      for (int i = 0; i < held.length; i++) {
        Completion c = completions.get(i);
        if (c == null) { // the index named only when it fails: no string per completion
          throw new NullPointerException("completions[" + i + "] cannot be null");
        }
        StoredEntry rec = entries.get(c.entryId());
        if (holds(rec, c)) {
          IllegalStatusTransitionException.check(c.entryId(), rec.entry.status(), c.newStatus());
          held[i] = rec;
        }
      }
      List<EntryId> applied = new ArrayList<>(held.length);
      List<EntryId> refused = new ArrayList<>(0);
      for (int i = 0; i < held.length; i++) {
        Completion c = completions.get(i);
        StoredEntry rec = held[i];
        if (rec == null) {
          refused.add(c.entryId());
          continue;
        }
        Entry e = rec.entry;
        entries.changed(
            rec,
            EntrySnapshots.moved(e, c.newStatus(), c.nextAttemptAt(), c.lastError(), now),
            now);
        rec.recordChange(e.status(), c.newStatus(), now, c.detail());
        for (NewEntry output : c.outputs()) {
          storeOutput(output, rec, now);
        }
        applied.add(c.entryId());
      }
      return new CommitResult(applied, refused);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether a completion's claim still holds: a claimable status, the owner's lease and the fencing
   * token. A completion applied earlier in the same call cleared the lease, so the entry's second
   * one is refused.
   */
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

  private void storeOutput(NewEntry n, StoredEntry source, Instant now) {
    Status status = n.finishedAs() == null ? Status.JUST_IN : n.finishedAs();
    StoredEntry rec = entries.addOutput(EntrySnapshots.created(n, status, now), source);
    if (rec == null) {
      return; // an output already stored (a rerun) is left as it is
    }
    if (n.finishedAs() == null) {
      rec.recordChange(null, status, now, null);
    } else {
      rec.recordChange(null, Status.JUST_IN, now, null);
      rec.recordChange(Status.JUST_IN, status, now, n.finishedDetail());
    }
  }

  @Override
  public Optional<Entry> transition(
      EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    Require.nonNull(id, "id");
    Require.nonNull(from, "from");
    Require.nonNull(to, "to");
    Require.nonNull(now, "now");
    detail = StorableText.detail(detail); // the same text as every store keeps
    lock.lock();
    try {
      StoredEntry rec = existing(id);
      if (!from.contains(rec.entry.status())) {
        return Optional.empty();
      }
      IllegalStatusTransitionException.check(id, rec.entry.status(), to);
      return Optional.of(move(rec, to, detail, now));
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
        StoredEntry rec = entries.get(Require.nonNull(id, "ids[]"));
        if (rec == null || !from.contains(rec.entry.status()) || moved.contains(id)) {
          continue;
        }
        move(rec, to, detail, now);
        moved.add(id);
      }
      return moved;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Moves an entry outside a claim, as {@link #transition} describes: no lease, no next attempt
   * time, and a move to FAILED or REJECTED records its detail as the last error.
   */
  private Entry move(StoredEntry rec, Status to, String detail, Instant now) {
    Entry e = rec.entry;
    String lastError = to == Status.FAILED || to == Status.REJECTED ? detail : e.lastError();
    Entry changed = EntrySnapshots.moved(e, to, null, lastError, now);
    entries.changed(rec, changed, now);
    rec.recordChange(e.status(), to, now, detail);
    return changed;
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
      IllegalStatusTransitionException.check(id, e.status(), Status.JUST_IN);
      Entry replayed =
          e.toBuilder()
              .status(Status.JUST_IN)
              .generation(e.generation() + 1)
              .attempts(0)
              .lease(null)
              .lastError(null)
              .nextAttemptAt(null)
              .updatedAt(now)
              .build();
      entries.changed(rec, replayed, now);
      rec.recordChange(e.status(), Status.JUST_IN, now, detail);
      for (StoredEntry output : entries.outputs(rec)) {
        Status s = output.entry.status();
        if (s != Status.DUPLICATE && s != Status.SUPERSEDED) {
          entries.changed(
              output,
              output.entry.toBuilder()
                  .status(Status.SUPERSEDED)
                  .lease(null)
                  .nextAttemptAt(null)
                  .updatedAt(now)
                  .build(),
              now);
          output.recordChange(s, Status.SUPERSEDED, now, detail);
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
      List<StoredEntry> leased = entries.leasedBy(owner);
      for (StoredEntry rec : leased) {
        // The attempt stays counted: attempts is the fencing token, and a token must never be
        // handed out
        // twice (a worker of this node still running after shutdown would otherwise match a later
        // claim).
        entries.changed(rec, rec.entry.toBuilder().lease(null).updatedAt(now).build(), now);
      }
      return leased.size();
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
  public Set<EntryId> renew(
      String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    StatusStore.checkRenewal(owner, leases, leaseDuration, now);
    Instant until = now.plus(leaseDuration);
    Set<EntryId> held = new HashSet<>();
    lock.lock();
    try {
      for (HeldLease lease : leases) {
        StoredEntry rec = entries.get(lease.entryId());
        if (rec == null || held.contains(lease.entryId())) {
          continue;
        }
        Entry e = rec.entry;
        if (!e.status().isClaimable()
            || e.lease() == null
            || !e.lease().owner().equals(owner)
            || e.attempts() != lease.token()) {
          continue;
        }
        if (e.lease().expiresAt().isBefore(until)) {
          entries.leaseExtended(rec, e.toBuilder().lease(new Lease(owner, until)).build(), now);
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
      StoredEntry rec = entries.get(id);
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
      StoredEntry rec = entries.get(id);
      return rec == null ? List.of() : rec.history();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Entry> findByTrace(TraceId traceId) {
    Require.nonNull(traceId, "traceId");
    lock.lock();
    try {
      return listing(entries.trace(traceId));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<Entry> findBySource(EntryId sourceId) {
    Require.nonNull(sourceId, "sourceId");
    lock.lock();
    try {
      StoredEntry source = entries.get(sourceId);
      return source == null ? List.of() : listing(entries.outputs(source));
    } finally {
      lock.unlock();
    }
  }

  /** Entries without payloads, ordered by creation time then id, as lineage queries return them. */
  private static List<Entry> listing(List<StoredEntry> recs) {
    List<Entry> out = new ArrayList<>(recs.size());
    for (StoredEntry rec : recs) {
      out.add(EntrySnapshots.withoutPayload(rec.entry));
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
      for (StoredEntry rec : entries.candidates(query)) {
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
        page.add(query.withPayload() ? e : EntrySnapshots.withoutPayload(e));
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
      List<StatusCount> out = entries.counts();
      out.sort(
          Comparator.comparing(StatusCount::route)
              .thenComparing(StatusCount::layer)
              .thenComparing(StatusCount::status));
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
      return entries.count(route, Status.JUST_IN) + entries.count(route, Status.RETRYING);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Drops finished entries (status {@linkplain Status#isTerminal() terminal}) last updated strictly
   * before a time, with their history, so a long-running host's memory stays flat. Their dedup keys
   * are forgotten too: a partner message arriving again after its entry was purged is taken as new,
   * so keep finished entries longer than partners may resend. Lineage queries no longer show purged
   * entries.
   *
   * <p>Works in chunks of {@value #PURGE_CHUNK} entries, taking the store's lock once per chunk, so
   * that a large purge lets the pipeline's claims and commits in between instead of stalling them
   * for its length.
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
        List<StoredEntry> doomed = entries.finishedBefore(cutoff, PURGE_CHUNK);
        entries.removeAll(doomed);
        chunk = doomed.size();
      } finally {
        lock.unlock();
      }
      dropped += chunk;
      if (chunk == 0) {
        return dropped;
      }
    }
  }

  // ---- operator methods ------------------------------------------------------------------------

  private static final Comparator<Entry> NEWEST_FIRST = BY_CREATION.reversed();

  @Override
  public EntryPage search(EntrySearch search) {
    Require.nonNull(search, "search");
    EntryCursor after = search.after() == null ? null : EntryCursor.decode(search.after());
    lock.lock();
    try {
      List<Entry> matching = new ArrayList<>();
      for (StoredEntry rec : entries.candidates(ALL)) {
        Entry e = rec.entry;
        if (search.matches(e) && (after == null || after.precedes(e))) {
          matching.add(e);
        }
      }
      matching.sort(NEWEST_FIRST);
      int n = Math.min(matching.size(), search.limit());
      List<Entry> page = new ArrayList<>(n);
      for (Entry e : matching.subList(0, n)) {
        page.add(EntrySnapshots.withoutPayload(e));
      }
      String next = matching.size() > n ? EntryCursor.of(matching.get(n - 1)).encode() : null;
      return EntryPage.of(page, next);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public long count(EntrySearch filter) {
    Require.nonNull(filter, "filter");
    lock.lock();
    try {
      return countMatching(filter);
    } finally {
      lock.unlock();
    }
  }

  private long countMatching(EntrySearch filter) {
    long n = 0;
    for (StoredEntry rec : entries.candidates(ALL)) {
      if (filter.matches(rec.entry)) {
        n++;
      }
    }
    return n;
  }

  @Override
  public List<Entry> findByDedupKey(String dedupKey) {
    Require.nonNull(dedupKey, "dedupKey");
    lock.lock();
    try {
      List<StoredEntry> found = new ArrayList<>();
      for (StoredEntry rec : entries.candidates(ALL)) {
        if (dedupKey.equals(rec.entry.dedupKey())) {
          found.add(rec);
        }
      }
      return listing(found);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public RoutePause pauseRoute(RouteId route, String by, Instant now) {
    Require.nonNull(route, "route");
    Require.nonNull(by, "by");
    Require.nonNull(now, "now");
    lock.lock();
    try {
      return pauses.computeIfAbsent(route, r -> new RoutePause(r, by, now));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean resumeRoute(RouteId route, String by, Instant now) {
    Require.nonNull(route, "route");
    Require.nonNull(by, "by");
    Require.nonNull(now, "now");
    lock.lock();
    try {
      return pauses.remove(route) != null;
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Map<RouteId, RoutePause> pausedRoutes() {
    lock.lock();
    try {
      return Map.copyOf(pauses);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public ReplayJob startReplayJob(
      EntrySearch filter, String requestedBy, String reason, Instant now) {
    Require.nonNull(filter, "filter");
    Require.nonNull(requestedBy, "requestedBy");
    Require.nonNull(reason, "reason");
    Require.nonNull(now, "now");
    lock.lock();
    try {
      return replayJobs.start(filter, countMatching(filter), requestedBy, reason, now);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<ReplayJob> replayJob(String id) {
    Require.nonNull(id, "id");
    lock.lock();
    try {
      return replayJobs.get(id);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<ReplayJob> replayJobs(int limit) {
    Require.atLeast(limit, 1, "limit");
    lock.lock();
    try {
      return replayJobs.recent(limit);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<ReplayJob> claimReplayJob(String owner, Duration leaseDuration, Instant now) {
    Require.nonNull(owner, "owner");
    positive(leaseDuration);
    Require.nonNull(now, "now");
    lock.lock();
    try {
      return replayJobs.claim(owner, leaseDuration, now);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<ReplayJob> recordReplayProgress(
      String id,
      String owner,
      String cursor,
      long replayed,
      long skipped,
      Duration leaseDuration,
      Instant now) {
    Require.nonNull(id, "id");
    Require.nonNull(owner, "owner");
    positive(leaseDuration);
    Require.nonNull(now, "now");
    lock.lock();
    try {
      return replayJobs.progress(id, owner, cursor, replayed, skipped, leaseDuration, now);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<ReplayJob> cancelReplayJob(String id, String by, Instant now) {
    Require.nonNull(id, "id");
    Require.nonNull(by, "by");
    Require.nonNull(now, "now");
    lock.lock();
    try {
      return replayJobs.cancel(id, by, now);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public Optional<ReplayJob> finishReplayJob(
      String id, String owner, ReplayJob.State state, String detail, Instant now) {
    Require.nonNull(id, "id");
    Require.nonNull(owner, "owner");
    if (state != ReplayJob.State.DONE && state != ReplayJob.State.FAILED) {
      throw new IllegalArgumentException("state must be DONE or FAILED, but was " + state);
    }
    Require.nonNull(now, "now");
    lock.lock();
    try {
      return replayJobs.finish(id, owner, state, detail, now);
    } finally {
      lock.unlock();
    }
  }

  private static void positive(Duration leaseDuration) {
    Require.nonNull(leaseDuration, "leaseDuration");
    if (leaseDuration.isNegative() || leaseDuration.isZero()) {
      throw new IllegalArgumentException(
          "leaseDuration must be positive, but was " + leaseDuration);
    }
  }

  /** Does nothing: the data stays readable, so tests can inspect it after the engine closed. */
  @Override
  public void close() {
    // Nothing to release: the entries are ordinary heap objects.
  }

  @Override
  public String toString() {
    return "InMemoryStatusStore[" + size() + " entries]";
  }

  private StoredEntry existing(EntryId id) {
    StoredEntry rec = entries.get(id);
    if (rec == null) {
      throw new NoSuchEntryException(id);
    }
    return rec;
  }

  /** Only for tests in this package: the number of stored entries. */
  int size() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }
}
