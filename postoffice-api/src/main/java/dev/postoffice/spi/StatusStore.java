package dev.postoffice.spi;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where every entry, its status and its history live. The store is the source of truth: the engine
 * keeps no state that a crash could lose. Every method here is one atomic operation.
 *
 * <p>Time: the caller passes {@code now}, its clock's reading, to every call that writes. A store
 * judges leases and due times on <em>one</em> clock for all its callers, so that nodes whose clocks
 * differ still agree on when a lease expires and when a retry is due:
 *
 * <ul>
 *   <li>a store used by one process may take the {@code now} it is given as that clock (the
 *       in-memory store does: its clock is the engine's injected {@code Clock});
 *   <li>a store shared by several nodes uses a clock of its own (the JDBC store uses the database's
 *       clock by default). It then reads every absolute time the caller computed from its {@code
 *       now} as a delay from that {@code now}: a claim's lease lasts {@code leaseDuration} from the
 *       store's now, a completion's {@code nextAttemptAt} is due {@code nextAttemptAt - now} after
 *       the store's now, a new entry's lease ({@link NewEntry#lease()}) expires {@code expiresAt -
 *       now} after it. Leases and due times read back ({@link Entry#lease()}, {@link
 *       Entry#nextAttemptAt()}) are on the store's clock.
 * </ul>
 *
 * <p>Times kept for the record ({@code createdAt}, {@code updatedAt}, history) are the caller's
 * {@code now} in every store. Every status change, including creation, appends a {@link
 * HistoryRecord} in the same transaction. Every method may throw {@link StoreUnavailableException}
 * when the database cannot be reached; nothing was changed then.
 *
 * <p>Implementations are thread-safe. Do not mock this interface in tests: use the in-memory store,
 * which is the reference implementation, and run {@code StatusStoreContract} from {@code
 * postoffice-testkit} against any new implementation.
 */
public interface StatusStore extends AutoCloseable {
  /**
   * Returns what this store can promise.
   *
   * @return the capabilities
   */
  StoreCapabilities capabilities();

  /**
   * Inserts root entries in one transaction: all of them or none. Each is stored as {@code
   * JUST_IN}, unless another entry of the same route already has its (non-null) dedup key: then it
   * is stored as {@code DUPLICATE}, with a history detail naming the original, and its result names
   * the original. Two entries with the same dedup key in one call: the first is new, the second a
   * duplicate. An entry whose id already exists is not inserted again; its result is the existing
   * one's (idempotent retry of intake).
   *
   * @param entries the entries
   * @param now the time of receipt
   * @return one result per entry, in order
   */
  List<IntakeResult> intake(List<NewEntry> entries, Instant now);

  /**
   * Inserts root entries and moves a polling cursor in one transaction, as {@link #intake(List,
   * Instant)}.
   *
   * @param entries the page's entries (may be empty: the cursor still moves)
   * @param cursor the cursor move
   * @param now the time of receipt
   * @return one result per entry, in order
   * @throws StaleCursorException if the cursor is not at {@code cursor.expected()}; nothing is
   *     stored
   */
  List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now);

  /**
   * Reads a polling cursor.
   *
   * @param route the route
   * @param name the cursor's name
   * @return its value, or empty if it was never set
   */
  Optional<String> cursor(RouteId route, String name);

  /**
   * Claims due entries of a route and layer for one owner. An entry is due when its status is
   * claimable ({@code JUST_IN}, or {@code RETRYING} with {@code nextAttemptAt <= now}) and it has
   * no lease or its lease expired ({@code expiresAt <= now}), {@code now} being the store's clock
   * (see "Time" above): a node whose clock is ahead does not take over a lease early. Each claimed
   * entry gets a lease {@code (owner, now + leaseDuration)} and its {@code attempts} incremented by
   * one; the returned entries show both and include payloads. Oldest first (by creation time, then
   * insertion order); the claim also sets {@code updatedAt}. Concurrent claimers, in this process
   * or another, never receive the same entry while its lease holds.
   *
   * @param request what to claim
   * @return up to {@code request.limit()} entries; empty if none is due
   */
  List<Entry> claim(ClaimRequest request);

  /**
   * Applies completions in one transaction. A completion applies only if its entry still has a
   * claimable status, a lease owned by {@code owner} and {@code attempts == leaseToken}; otherwise
   * it is refused and nothing of it is written (the fencing that keeps a node presumed dead from
   * overwriting newer state). Applying means: move the entry to {@code newStatus} (clearing the
   * lease, setting {@code lastError} and {@code nextAttemptAt}), append a history row with {@code
   * detail}, and insert the outputs as {@link NewEntry} describes, skipping any whose id exists. If
   * the same entry appears twice in one call, the first completion applies and the second is
   * refused.
   *
   * <p>If the connection fails after the database committed, the caller sees {@link
   * StoreUnavailableException} although the batch applied; retrying the same completions is then
   * harmless: they are refused, because the fencing no longer matches.
   *
   * @param completions the completions
   * @param now the time of the commit
   * @return which completions were applied and which refused
   * @throws IllegalStatusTransitionException if a completion's move is not allowed (nothing is
   *     written)
   */
  CommitResult commit(List<Completion> completions, Instant now);

  /**
   * Moves an entry whose status is one of {@code from} to {@code to}, outside any claim (an
   * acknowledgement from the Core App, a republish after a timeout). Clears the lease and the next
   * attempt time, appends a history row. A move to {@code FAILED} or {@code REJECTED} also sets
   * {@code lastError} to {@code detail} (the reason the entry was given up or refused); other moves
   * keep it.
   *
   * @param id the entry
   * @param from the statuses it may be in
   * @param to the new status
   * @param detail why, for the history row; may be null
   * @param now the time of the change
   * @return the changed entry, or empty if its status was not in {@code from} (nothing changed)
   * @throws NoSuchEntryException if there is no such entry
   * @throws IllegalStatusTransitionException if the entry is in a status of {@code from} that
   *     cannot move to {@code to}
   */
  Optional<Entry> transition(EntryId id, Set<Status> from, Status to, String detail, Instant now);

  /**
   * Moves several entries, each as {@link #transition} would, with one history row each: all in one
   * transaction where the store can (the JDBC store does; the default here calls {@code transition}
   * once per entry). This is how acknowledgements that arrive together are applied in one database
   * round trip instead of one per message.
   *
   * <p>An id given twice moves once. An id with no entry, or whose entry's status is not in {@code
   * from}, is left out of the result; nothing else about it changes and it is no error (the caller
   * can look it up).
   *
   * @param ids the entries
   * @param from the statuses they may be in; every one of them must be allowed to move to {@code
   *     to}
   * @param to the new status
   * @param detail why, for the history rows; may be null
   * @param now the time of the change
   * @return the ids of the entries that moved, in no particular order
   * @throws IllegalArgumentException if a status of {@code from} can never move to {@code to}
   *     (nothing is written)
   */
  default Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now) {
    checkMovable(from, to);
    Set<EntryId> moved = new HashSet<>();
    for (EntryId id : new LinkedHashSet<>(ids)) {
      try {
        if (transition(id, from, to, detail, now).isPresent()) {
          moved.add(id);
        }
      } catch (NoSuchEntryException e) {
        // left out of the result, as documented
      }
    }
    return moved;
  }

  /**
   * Checks the precondition of {@link #transitionAll}: every status of {@code from} can move to
   * {@code to}.
   *
   * @param from the statuses entries may be in
   * @param to the new status
   * @throws IllegalArgumentException naming the first move that is not allowed
   */
  static void checkMovable(Set<Status> from, Status to) {
    for (Status s : from) {
      if (!s.canMoveTo(to)) {
        throw new IllegalArgumentException(
            "transitionAll: an entry in "
                + s.name()
                + " can never move to "
                + to.name()
                + "; pass only statuses that can");
      }
    }
  }

  /**
   * Replays an entry for an operator: it becomes {@code JUST_IN} again with its generation
   * incremented, attempts, lease, error and next attempt time cleared; in the same transaction,
   * each of its outputs that is not {@code DUPLICATE} or {@code SUPERSEDED} becomes {@code
   * SUPERSEDED}. The outputs of the new run get new ids (they derive from the new generation), so
   * the old ones stay for the record.
   *
   * @param id the entry
   * @param detail why, for the history rows
   * @param now the time of the replay
   * @return the replayed entry
   * @throws NoSuchEntryException if there is no such entry
   * @throws IllegalStatusTransitionException if its status cannot move to {@code JUST_IN}
   */
  Entry replay(EntryId id, String detail, Instant now);

  /**
   * Releases the leases an owner holds on claimable entries of every route, for a graceful
   * shutdown: they become claimable at once. The attempt the claim counted stays counted: {@code
   * attempts} is the fencing token and never decreases, so the next claim gets a token no earlier
   * claim had. No history row (the status does not change).
   *
   * @param owner the node id
   * @param now the current time
   * @return how many leases were released
   */
  int release(String owner, Instant now);

  /**
   * Confirms that an owner still holds leases, and extends them, before it makes an external call
   * for their entries (a publish, a partner call): a call made for an entry whose lease another
   * node took over is made twice. A lease is held when its entry still has a claimable status, a
   * lease owned by {@code owner} and {@code attempts == token} (the fencing of {@link #commit}),
   * even if it expired meanwhile: nobody claimed the entry since, and a renewal and a claim exclude
   * each other. Each held lease is extended to expire no earlier than the store's now plus {@code
   * leaseDuration} (never shortened; see "Time" above). Nothing else changes, and no history row is
   * written.
   *
   * <p>The default implementation, for stores written before this method, only confirms, through
   * {@link #find}, and extends nothing; it is not atomic. Stores override it.
   *
   * @param owner the node id
   * @param leases the leases to confirm; a lease given twice counts once, an unknown entry is not
   *     held
   * @param leaseDuration how long each held lease lasts from now, at least
   * @param now the caller's current time
   * @return the ids of the entries whose lease the owner holds (now extended); the caller makes no
   *     external call for the others
   * @throws IllegalArgumentException if leaseDuration is not positive
   */
  default Set<EntryId> renew(
      String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    checkRenewal(owner, leases, leaseDuration, now);
    Set<EntryId> held = new HashSet<>();
    for (HeldLease lease : leases) {
      find(lease.entryId())
          .filter(
              e ->
                  e.status().isClaimable()
                      && e.lease() != null
                      && e.lease().owner().equals(owner)
                      && e.attempts() == lease.token())
          .ifPresent(e -> held.add(e.id()));
    }
    return held;
  }

  /**
   * Checks the arguments of {@link #renew}.
   *
   * @param owner the node id
   * @param leases the leases
   * @param leaseDuration the duration
   * @param now the time
   * @throws NullPointerException if an argument is null or leases holds null
   * @throws IllegalArgumentException if leaseDuration is not positive
   */
  static void checkRenewal(
      String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    Objects.requireNonNull(owner, "owner cannot be null");
    Objects.requireNonNull(leases, "leases cannot be null");
    Objects.requireNonNull(leaseDuration, "leaseDuration cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    leases.forEach(l -> Objects.requireNonNull(l, "leases cannot contain null"));
    if (leaseDuration.isNegative() || leaseDuration.isZero()) {
      throw new IllegalArgumentException(
          "leaseDuration must be positive, but was " + leaseDuration);
    }
  }

  /**
   * Finds an entry, with its payload.
   *
   * @param id the entry
   * @return the entry, or empty
   */
  Optional<Entry> find(EntryId id);

  /**
   * Returns an entry's status changes, oldest first; for an entry that does not exist, an empty
   * list.
   *
   * @param id the entry
   * @return the history
   */
  List<HistoryRecord> history(EntryId id);

  /**
   * Returns every entry of a trace without payloads, ordered by creation time then id.
   *
   * @param traceId the trace
   * @return the entries
   */
  List<Entry> findByTrace(TraceId traceId);

  /**
   * Returns the outputs of an entry (entries whose source it is) without payloads, ordered by
   * creation time then id.
   *
   * @param sourceId the source entry
   * @return the entries
   */
  List<Entry> findBySource(EntryId sourceId);

  /**
   * Finds entries for operators and housekeeping.
   *
   * @param query the criteria
   * @return matching entries, ordered as {@link EntryQuery} says
   */
  List<Entry> query(EntryQuery query);

  /**
   * Counts entries per route, layer and status; combinations with no entries are left out.
   *
   * @return the counts
   */
  List<StatusCount> countByStatus();

  /**
   * Counts a route's entries waiting for work: status {@code JUST_IN} or {@code RETRYING}, any
   * layer.
   *
   * @param route the route
   * @return the backlog
   */
  long backlog(RouteId route);

  // ---- operator methods: implemented where capabilities().operatorApi() is true ----------------

  /**
   * Reads one page of entries for an operator, newest first: ordered by {@code createdAt}
   * descending, then id descending, without payloads. Paging is by keyset ({@link
   * EntrySearch#after()}), so entries added meanwhile never shift a later page: they sort before
   * the first. {@link EntryPage#next()} is present exactly when more entries match.
   *
   * @param search the criteria, page size and cursor
   * @return the page
   * @throws IllegalArgumentException if the cursor is not one this store returned
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default EntryPage search(EntrySearch search) {
    throw operatorApiMissing("search");
  }

  /**
   * Counts the entries a search's criteria select (its cursor and page size are ignored), so that
   * an operator sees how many a bulk replay would touch before starting it.
   *
   * @param filter the criteria
   * @return how many entries match now
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default long count(EntrySearch filter) {
    throw operatorApiMissing("count");
  }

  /**
   * Finds the entries stored with a dedup key, in every route, oldest first (by creation time, then
   * id), without payloads: the first receipt and the {@code DUPLICATE}s after it. The dedup key is
   * the id people hold for a message: upstream, the partner's delivery id (such as {@code
   * X-Shopify-Webhook-Id}); downstream, the Core App's message id.
   *
   * @param dedupKey the key
   * @return the entries; empty if none has that key
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default List<Entry> findByDedupKey(String dedupKey) {
    throw operatorApiMissing("findByDedupKey");
  }

  /**
   * Pauses a route on every node that shares this store: the engine claims none of its entries (on
   * any layer) until {@link #resumeRoute} is called; intake still stores. The store only records
   * the pause; each engine reads {@link #pausedRoutes()} and obeys within its refresh interval.
   * Pausing a paused route changes nothing and returns the existing pause.
   *
   * @param route the route
   * @param by who pauses it
   * @param now the time
   * @return the route's pause
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default RoutePause pauseRoute(RouteId route, String by, Instant now) {
    throw operatorApiMissing("pauseRoute");
  }

  /**
   * Resumes a paused route: its entries are claimed again.
   *
   * @param route the route
   * @param by who resumes it
   * @param now the time
   * @return true if it was paused; false if it was not (nothing changed)
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default boolean resumeRoute(RouteId route, String by, Instant now) {
    throw operatorApiMissing("resumeRoute");
  }

  /**
   * Returns the routes paused now. One cheap read: engines call it about once a second.
   *
   * @return the pauses by route
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default Map<RouteId, RoutePause> pausedRoutes() {
    throw operatorApiMissing("pausedRoutes");
  }

  /**
   * Starts a bulk replay of the entries a filter selects, as a {@link ReplayJob.State#RUNNING} job
   * with no owner, {@code total} set to {@link #count} of the filter and no cursor; a running
   * engine claims it ({@link #claimReplayJob}). Idempotent: while a {@code RUNNING} job has an
   * equal filter ({@link EntrySearch#filter()}; the cursor and page size do not count), that job is
   * returned and nothing is stored, whoever asks.
   *
   * @param filter which entries; its cursor and page size are ignored
   * @param requestedBy who asks
   * @param reason why, for the replayed entries' history
   * @param now the time of the request
   * @return the new job, or the running job with an equal filter
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default ReplayJob startReplayJob(
      EntrySearch filter, String requestedBy, String reason, Instant now) {
    throw operatorApiMissing("startReplayJob");
  }

  /**
   * Finds a replay job.
   *
   * @param id the job's id
   * @return the job, or empty
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default Optional<ReplayJob> replayJob(String id) {
    throw operatorApiMissing("replayJob");
  }

  /**
   * Lists replay jobs, newest first (by creation time, then id, descending), in every state.
   *
   * @param limit the most to return, at least 1
   * @return the jobs
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default List<ReplayJob> replayJobs(int limit) {
    throw operatorApiMissing("replayJobs");
  }

  /**
   * Claims one {@code RUNNING} replay job for an owner: one with no owner, or whose lease expired
   * ({@code leaseExpiresAt <= now}, a node that crashed), oldest first. Its owner becomes {@code
   * owner} with a lease until {@code now + leaseDuration}, judged as entry leases are (see "Time"
   * above). Two claimers never hold the same job while its lease holds. The job keeps its counts
   * and cursor, so the new owner goes on where the last one recorded progress.
   *
   * @param owner the node id
   * @param leaseDuration how long the lease lasts
   * @param now the caller's current time
   * @return the claimed job, or empty if none is free
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default Optional<ReplayJob> claimReplayJob(String owner, Duration leaseDuration, Instant now) {
    throw operatorApiMissing("claimReplayJob");
  }

  /**
   * Records a replay job's progress and extends its lease, if the job is still {@code RUNNING} and
   * {@code owner} holds it (even if the lease expired meanwhile, as long as nobody claimed the job
   * since). Otherwise nothing changes: the job was cancelled, or another node took it over, and the
   * caller stops working on it.
   *
   * @param id the job's id
   * @param owner the node id
   * @param cursor the {@link EntryPage#next()} cursor after the last page done
   * @param replayed how many entries the job replayed in all so far
   * @param skipped how many it reached but could not replay in all so far
   * @param leaseDuration how long the lease lasts from now
   * @param now the caller's current time
   * @return the updated job; empty if the owner no longer holds a running job of that id
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default Optional<ReplayJob> recordReplayProgress(
      String id,
      String owner,
      String cursor,
      long replayed,
      long skipped,
      Duration leaseDuration,
      Instant now) {
    throw operatorApiMissing("recordReplayProgress");
  }

  /**
   * Cancels a replay job: a {@code RUNNING} job becomes {@code CANCELLED}, with a detail naming who
   * cancelled it, and its lease is cleared; its owner stops at its next progress record. A job that
   * already ended is returned unchanged.
   *
   * @param id the job's id
   * @param by who cancels it
   * @param now the time
   * @return the job as it is now; empty if there is no such job
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default Optional<ReplayJob> cancelReplayJob(String id, String by, Instant now) {
    throw operatorApiMissing("cancelReplayJob");
  }

  /**
   * Ends a replay job its owner worked through: a {@code RUNNING} job held by {@code owner} moves
   * to {@code state} ({@code DONE} or {@code FAILED}) with {@code detail}, and its lease is
   * cleared. Otherwise nothing changes.
   *
   * @param id the job's id
   * @param owner the node id
   * @param state {@code DONE} or {@code FAILED}
   * @param detail why it ended, or null
   * @param now the time
   * @return the ended job; empty if the owner no longer holds a running job of that id
   * @throws IllegalArgumentException if state is not {@code DONE} or {@code FAILED}
   * @throws UnsupportedOperationException if the store does not declare {@link
   *     StoreCapabilities#operatorApi()}
   */
  default Optional<ReplayJob> finishReplayJob(
      String id, String owner, ReplayJob.State state, String detail, Instant now) {
    throw operatorApiMissing("finishReplayJob");
  }

  /**
   * Returns the exception a store without the operator methods throws.
   *
   * @param method the method called
   * @return the exception, naming the method and the fix
   */
  static UnsupportedOperationException operatorApiMissing(String method) {
    return new UnsupportedOperationException(
        "StatusStore."
            + method
            + " is an operator method this store does not implement"
            + " (its capabilities().operatorApi() is false). [Hint: use InMemoryStatusStore or"
            + " JdbcStatusStore, or implement the operator methods and run StatusStoreContract]");
  }

  /** Releases the store's resources (not the host's {@code DataSource}). */
  @Override
  void close();
}
