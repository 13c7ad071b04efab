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
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.HeldLease;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.StoreCapabilities;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
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
  public void close() {
    delegate.close();
  }
}
