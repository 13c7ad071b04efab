package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.JdbcDialect;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The store's operations, each in its own transaction with retries; {@code JdbcStatusStore} is a
 * thin facade over this class.
 */
public final class StoreOperations {
  private final Transactions tx;
  private final ChangeOps changes;
  private final QueryOps queries;
  private final RetentionOps retention;

  /** The writes whose statements differ by database, chosen once here. */
  private final WritePath writes;

  /**
   * Creates the operations.
   *
   * @param tables the tables
   * @param tx the transaction runner
   * @param clock the clock leases and due times are judged on
   */
  public StoreOperations(Tables tables, Transactions tx, StoreClock clock) {
    this.tx = tx;
    EntryWriter writer = new EntryWriter(tables, clock);
    ClaimOps claims = new ClaimOps(tables, clock);
    this.changes = new ChangeOps(tables, writer);
    this.queries = new QueryOps(tables);
    this.retention = new RetentionOps(tables);
    PortableWritePath portable =
        new PortableWritePath(
            tx,
            clock,
            new IntakeOps(tables, writer),
            claims,
            new CommitOps(tables, writer, clock),
            changes);
    this.writes =
        tables.dialect() == JdbcDialect.POSTGRESQL
            ? new PostgresWritePath(
                tx,
                new PgOps(tables, clock),
                claims,
                portable,
                new YoungTableAnalyzer(tx, tables.entry()),
                new YoungTableAnalyzer(tx, tables.dedup()))
            : portable;
  }

  /**
   * See {@code StatusStore#intake}. @param entries the entries @param cursor the cursor move or
   * null
   *
   * @param now the time @return the results
   */
  public List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now) {
    return writes.intake(entries, cursor, now);
  }

  /**
   * See {@code StatusStore#cursor}. @param route the route @param name the name @return the value
   */
  public Optional<String> cursor(RouteId route, String name) {
    return tx.withHandle("read a cursor", h -> queries.cursor(tx.connection(h), route, name));
  }

  /** See {@code StatusStore#claim}. @param request the request @return the claimed entries */
  public List<Entry> claim(ClaimRequest request) {
    return writes.claim(request);
  }

  /**
   * See {@code StatusStore#commit}. @param completions the completions @param now the time @return
   * what applied
   */
  public CommitResult commit(List<Completion> completions, Instant now) {
    if (completions.isEmpty()) {
      return new CommitResult(List.of(), List.of());
    }
    return writes.commit(completions, now);
  }

  /**
   * See {@code StatusStore#transition}. @param id the entry @param from the statuses @param to the
   * status
   *
   * @param detail why @param now the time @return the changed entry
   */
  public Optional<Entry> transition(
      EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    return writes.transition(id, from, to, detail, now);
  }

  /**
   * See {@code StatusStore#transitionAll}. @param ids the entries @param from the statuses @param
   * to the status @param detail why @param now the time @return the ids moved
   */
  public Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return writes.transitionAll(ids, from, to, detail, now);
  }

  /**
   * See {@code StatusStore#replay}. @param id the entry @param detail why @param now the time
   *
   * @return the replayed entry
   */
  public Entry replay(EntryId id, String detail, Instant now) {
    return tx.inTransaction(
        "replay", false, h -> changes.replay(tx.connection(h), id, detail, now));
  }

  /** See {@code StatusStore#release}. @param owner the node @param now the time @return how many */
  public int release(String owner, Instant now) {
    return tx.inTransaction("release", false, h -> changes.release(tx.connection(h), owner, now));
  }

  /**
   * See {@code StatusStore#renew}. @param owner the node @param leases the leases @param
   * leaseDuration how long @param now the time @return the ids held
   */
  public Set<EntryId> renew(
      String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    Map<String, Integer> tokens = new TreeMap<>();
    for (HeldLease lease : leases) {
      // A lease given twice with two tokens: at most one can match, and the first given is the one
      // checked.
      tokens.putIfAbsent(lease.entryId().value(), lease.token());
    }
    if (tokens.isEmpty()) {
      return Set.of();
    }
    return writes.renew(owner, tokens, leaseDuration, now);
  }

  /** See {@code StatusStore#find}. @param id the entry @return the entry */
  public Optional<Entry> find(EntryId id) {
    return tx.withHandle("find", h -> queries.find(tx.connection(h), id));
  }

  /** See {@code StatusStore#history}. @param id the entry @return the history */
  public List<HistoryRecord> history(EntryId id) {
    return tx.withHandle("history", h -> queries.history(tx.connection(h), id));
  }

  /** See {@code StatusStore#findByTrace}. @param id the trace @return the entries */
  public List<Entry> findByTrace(TraceId id) {
    return tx.withHandle(
        "findByTrace", h -> queries.byColumn(tx.connection(h), "trace_id", id.value()));
  }

  /** See {@code StatusStore#findBySource}. @param id the source @return the entries */
  public List<Entry> findBySource(EntryId id) {
    return tx.withHandle(
        "findBySource", h -> queries.byColumn(tx.connection(h), "source_id", id.value()));
  }

  /** See {@code StatusStore#query}. @param query the query @return the entries */
  public List<Entry> query(EntryQuery query) {
    return tx.withHandle("query", h -> queries.query(tx.connection(h), query));
  }

  /** See {@code StatusStore#countByStatus}. @return the counts */
  public List<StatusCount> countByStatus() {
    return tx.withHandle("countByStatus", h -> queries.countByStatus(tx.connection(h)));
  }

  /** See {@code StatusStore#backlog}. @param route the route @return the backlog */
  public long backlog(RouteId route) {
    return tx.withHandle("backlog", h -> queries.backlog(tx.connection(h), route));
  }

  /**
   * Purges payloads batch by batch. @param before the age @param batchSize per batch @return how
   * many
   */
  public long purgePayloads(Instant before, int batchSize) {
    long total = 0;
    int n;
    do {
      n =
          tx.inTransaction(
              "purgePayloadsBefore",
              false,
              h -> retention.purgePayloads(tx.connection(h), before, batchSize));
      total += n;
    } while (n == batchSize);
    return total;
  }

  /**
   * Purges finished traces batch by batch. @param before the age @param batchSize per batch
   *
   * @return how many traces
   */
  public long purgeTraces(Instant before, int batchSize) {
    long total = 0;
    int n;
    do {
      n =
          tx.inTransaction(
              "purgeFinishedTracesBefore",
              false,
              h -> retention.purgeTraces(tx.connection(h), before, batchSize));
      total += n;
    } while (n == batchSize);
    return total;
  }
}
