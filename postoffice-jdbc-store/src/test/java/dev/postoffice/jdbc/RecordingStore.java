package dev.postoffice.jdbc;

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
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;

/**
 * One node's store, recording for every applied completion which node committed it: each entry id belongs to
 * one stage, so a second record for an id is an entry worked to completion twice in one stage.
 */
final class RecordingStore implements StatusStore {
  private final StatusStore delegate;
  private final String node;
  private final Map<EntryId, String> committedBy;
  private final Queue<EntryId> twice;

  RecordingStore(StatusStore delegate, String node, Map<EntryId, String> committedBy, Queue<EntryId> twice) {
    this.delegate = delegate;
    this.node = node;
    this.committedBy = committedBy;
    this.twice = twice;
  }

  @Override
  public CommitResult commit(List<Completion> completions, Instant now) {
    CommitResult result = delegate.commit(completions, now);
    for (EntryId id : result.applied()) {
      if (committedBy.putIfAbsent(id, node) != null) {
        twice.add(id);
      }
    }
    return result;
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
  public Optional<Entry> transition(EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    return delegate.transition(id, from, to, detail, now);
  }

  @Override
  public Entry replay(EntryId id, String detail, Instant now) {
    return delegate.replay(id, detail, now);
  }

  @Override
  public Set<EntryId> renew(String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    return delegate.renew(owner, leases, leaseDuration, now);
  }

  @Override
  public int release(String owner, Instant now) {
    return delegate.release(owner, now);
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
