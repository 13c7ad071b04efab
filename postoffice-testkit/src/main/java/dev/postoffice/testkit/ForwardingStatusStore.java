package dev.postoffice.testkit;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.HeldLease;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.RoutePause;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.StoreCapabilities;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link StatusStore} that passes every call on to another, for decorators that watch or change a
 * few calls: extend it and override only those. Every method forwards, the default ones too, so the
 * wrapped store's own {@code transitionAll} and {@code renew} still run.
 *
 * <pre>{@code
 * StatusStore counting = new ForwardingStatusStore(store) {
 *   @Override
 *   public CommitResult commit(List<Completion> completions, Instant now) {
 *     commits.incrementAndGet();
 *     return super.commit(completions, now);
 *   }
 * };
 * }</pre>
 */
public abstract class ForwardingStatusStore implements StatusStore {
  private final StatusStore delegate;

  /**
   * Wraps a store.
   *
   * @param delegate the store every call goes to
   * @throws NullPointerException if delegate is null
   */
  protected ForwardingStatusStore(StatusStore delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate cannot be null");
  }

  /**
   * @return the store every call goes to
   */
  protected final StatusStore delegate() {
    return delegate;
  }

  @Override
  public StoreCapabilities capabilities() {
    return delegate.capabilities();
  }

  @Override
  public List<IntakeResult> intake(List<NewEntry> entries, Instant now) {
    return delegate.intake(entries, now);
  }

  @Override
  public List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now) {
    return delegate.intake(entries, cursor, now);
  }

  @Override
  public Optional<String> cursor(RouteId route, String name) {
    return delegate.cursor(route, name);
  }

  @Override
  public List<Entry> claim(ClaimRequest request) {
    return delegate.claim(request);
  }

  @Override
  public CommitResult commit(List<Completion> completions, Instant now) {
    return delegate.commit(completions, now);
  }

  @Override
  public Optional<Entry> transition(
      EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    return delegate.transition(id, from, to, detail, now);
  }

  @Override
  public Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now) {
    return delegate.transitionAll(ids, from, to, detail, now);
  }

  @Override
  public Entry replay(EntryId id, String detail, Instant now) {
    return delegate.replay(id, detail, now);
  }

  @Override
  public int release(String owner, Instant now) {
    return delegate.release(owner, now);
  }

  @Override
  public Set<EntryId> renew(
      String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    return delegate.renew(owner, leases, leaseDuration, now);
  }

  @Override
  public Optional<Entry> find(EntryId id) {
    return delegate.find(id);
  }

  @Override
  public List<HistoryRecord> history(EntryId id) {
    return delegate.history(id);
  }

  @Override
  public List<Entry> findByTrace(TraceId traceId) {
    return delegate.findByTrace(traceId);
  }

  @Override
  public List<Entry> findBySource(EntryId sourceId) {
    return delegate.findBySource(sourceId);
  }

  @Override
  public List<Entry> query(EntryQuery query) {
    return delegate.query(query);
  }

  @Override
  public List<StatusCount> countByStatus() {
    return delegate.countByStatus();
  }

  @Override
  public long backlog(RouteId route) {
    return delegate.backlog(route);
  }

  @Override
  public EntryPage search(EntrySearch search) {
    return delegate.search(search);
  }

  @Override
  public long count(EntrySearch filter) {
    return delegate.count(filter);
  }

  @Override
  public List<Entry> findByDedupKey(String dedupKey) {
    return delegate.findByDedupKey(dedupKey);
  }

  @Override
  public RoutePause pauseRoute(RouteId route, String by, Instant now) {
    return delegate.pauseRoute(route, by, now);
  }

  @Override
  public boolean resumeRoute(RouteId route, String by, Instant now) {
    return delegate.resumeRoute(route, by, now);
  }

  @Override
  public Map<RouteId, RoutePause> pausedRoutes() {
    return delegate.pausedRoutes();
  }

  @Override
  public ReplayJob startReplayJob(
      EntrySearch filter, String requestedBy, String reason, Instant now) {
    return delegate.startReplayJob(filter, requestedBy, reason, now);
  }

  @Override
  public Optional<ReplayJob> replayJob(String id) {
    return delegate.replayJob(id);
  }

  @Override
  public List<ReplayJob> replayJobs(int limit) {
    return delegate.replayJobs(limit);
  }

  @Override
  public Optional<ReplayJob> claimReplayJob(String owner, Duration leaseDuration, Instant now) {
    return delegate.claimReplayJob(owner, leaseDuration, now);
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
    return delegate.recordReplayProgress(id, owner, cursor, replayed, skipped, leaseDuration, now);
  }

  @Override
  public Optional<ReplayJob> cancelReplayJob(String id, String by, Instant now) {
    return delegate.cancelReplayJob(id, by, now);
  }

  @Override
  public Optional<ReplayJob> finishReplayJob(
      String id, String owner, ReplayJob.State state, String detail, Instant now) {
    return delegate.finishReplayJob(id, owner, state, detail, now);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
