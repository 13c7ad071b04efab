package dev.postoffice.jdbc.internal;

import dev.postoffice.StoreUnavailableException;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The store's operations, each in its own transaction with retries; {@code JdbcStatusStore} is a thin facade
 * over this class.
 */
public final class StoreOperations {
  private final Transactions tx;
  private final StoreClock clock;
  private final IntakeOps intake;
  private final ClaimOps claims;
  private final CommitOps commits;
  private final ChangeOps changes;
  private final QueryOps queries;
  private final RetentionOps retention;
  /** PostgreSQL's one-statement operations; null on the other databases. */
  private final PgOps pg;
  /** PostgreSQL: analyzes new tables as they first grow; null on the other databases. */
  private final YoungTableAnalyzer analyzer;

  /**
   * Creates the operations.
   *
   * @param tables the tables
   * @param tx the transaction runner
   * @param clock the clock leases and due times are judged on
   */
  public StoreOperations(Tables tables, Transactions tx, StoreClock clock) {
    this.tx = tx;
    this.clock = clock;
    EntryWriter writer = new EntryWriter(tables, clock);
    this.intake = new IntakeOps(tables, writer);
    this.claims = new ClaimOps(tables, clock);
    this.commits = new CommitOps(tables, writer, clock);
    this.changes = new ChangeOps(tables, writer);
    this.queries = new QueryOps(tables);
    this.retention = new RetentionOps(tables);
    this.pg = tables.dialect() == JdbcDialect.POSTGRESQL ? new PgOps(tables, clock) : null;
    this.analyzer = pg == null ? null : new YoungTableAnalyzer(tx, tables.entry());
  }

  /** See {@code StatusStore#intake}. @param entries the entries @param cursor the cursor move or null
   * @param now the time @return the results */
  public List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now) {
    if (pg != null && cursor == null && !entries.isEmpty()
        && entries.stream().allMatch(e -> e.dedupKey() == null)) {
      List<IntakeResult> results = tx.statement("intake", h -> pg.intake(tx.connection(h), entries, now));
      analyzer.inserted(entries.size());
      return results;
    }
    List<IntakeResult> results = tx.inTransaction("intake", true, h -> {
      if (cursor != null) {
        intake.moveCursor(tx.connection(h), cursor, now);
      }
      return entries.isEmpty() ? List.of() : intake.intake(tx.connection(h), entries, now);
    });
    if (analyzer != null) {
      analyzer.inserted(entries.size());
    }
    return results;
  }

  /** See {@code StatusStore#cursor}. @param route the route @param name the name @return the value */
  public Optional<String> cursor(RouteId route, String name) {
    return tx.withHandle("read a cursor", h -> queries.cursor(tx.connection(h), route, name));
  }

  /** See {@code StatusStore#claim}. @param request the request @return the claimed entries */
  public List<Entry> claim(ClaimRequest request) {
    if (pg != null) {
      return tx.statement("claim", h -> claims.claim(tx.connection(h), request));
    }
    return tx.inTransaction("claim", false, h -> claims.claim(tx.connection(h), request));
  }

  /** See {@code StatusStore#commit}. @param completions the completions @param now the time @return what
   * applied */
  public CommitResult commit(List<Completion> completions, Instant now) {
    if (completions.isEmpty()) {
      return new CommitResult(List.of(), List.of());
    }
    if (pg != null) {
      CommitResult result = tx.statement("commit", h -> pg.commit(tx.connection(h), completions, now));
      int outputs = 0;
      for (Completion done : completions) {
        outputs += done.outputs().size();
      }
      analyzer.inserted(outputs);
      return result;
    }
    return tx.inTransaction("commit", true, h -> commits.commit(tx.connection(h), completions, now));
  }

  /** See {@code StatusStore#transition}. @param id the entry @param from the statuses @param to the status
   * @param detail why @param now the time @return the changed entry */
  public Optional<Entry> transition(EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    if (pg != null) {
      for (int attempt = 1; ; attempt++) {
        Optional<Entry> moved = tx.statement("transition",
            h -> pg.transition(tx.connection(h), id, from, to, detail, now));
        if (moved != null) {
          return moved;
        }
        if (attempt == Transactions.MAX_ATTEMPTS) {
          throw new StoreUnavailableException("JDBC store: transition of " + id + " gave up after " + attempt
              + " attempts, its status kept changing; nothing was changed", null);
        }
      }
    }
    return tx.inTransaction("transition", false,
        h -> changes.transition(tx.connection(h), id, from, to, detail, now));
  }

  /** See {@code StatusStore#transitionAll}. @param ids the entries @param from the statuses @param to the
   * status @param detail why @param now the time @return the ids moved */
  public Set<EntryId> transitionAll(Collection<EntryId> ids, Set<Status> from, Status to, String detail,
      Instant now) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    if (pg == null) {
      return tx.inTransaction("transitionAll", false,
          h -> changes.transitionAll(tx.connection(h), ids, from, to, detail, now));
    }
    Set<EntryId> moved = new HashSet<>();
    Collection<EntryId> pending = ids;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > Transactions.MAX_ATTEMPTS) {
        throw new StoreUnavailableException("JDBC store: transitionAll gave up after " + Transactions.MAX_ATTEMPTS
            + " attempts on " + pending.size() + " entries whose status kept changing; " + moved.size()
            + " others were moved", null);
      }
      Collection<EntryId> batch = pending;
      pending = tx.statement("transitionAll",
          h -> pg.transitionAll(tx.connection(h), batch, from, to, detail, now, moved));
    }
    return moved;
  }

  /** See {@code StatusStore#replay}. @param id the entry @param detail why @param now the time
   * @return the replayed entry */
  public Entry replay(EntryId id, String detail, Instant now) {
    return tx.inTransaction("replay", false, h -> changes.replay(tx.connection(h), id, detail, now));
  }

  /** See {@code StatusStore#release}. @param owner the node @param now the time @return how many */
  public int release(String owner, Instant now) {
    return tx.inTransaction("release", false, h -> changes.release(tx.connection(h), owner, now));
  }

  /** See {@code StatusStore#renew}. @param owner the node @param leases the leases @param leaseDuration how
   * long @param now the time @return the ids held */
  public Set<EntryId> renew(String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    Map<String, Integer> tokens = new TreeMap<>();
    for (HeldLease lease : leases) {
      // A lease given twice with two tokens: at most one can match, and the first given is the one checked.
      tokens.putIfAbsent(lease.entryId().value(), lease.token());
    }
    if (tokens.isEmpty()) {
      return Set.of();
    }
    if (pg != null) {
      return tx.statement("renew", h -> pg.renew(tx.connection(h), owner, tokens, leaseDuration, now));
    }
    return tx.inTransaction("renew", false,
        h -> changes.renew(tx.connection(h), owner, tokens, leaseDuration, clock, now));
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
    return tx.withHandle("findByTrace", h -> queries.byColumn(tx.connection(h), "trace_id", id.value()));
  }

  /** See {@code StatusStore#findBySource}. @param id the source @return the entries */
  public List<Entry> findBySource(EntryId id) {
    return tx.withHandle("findBySource", h -> queries.byColumn(tx.connection(h), "source_id", id.value()));
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

  /** Purges payloads batch by batch. @param before the age @param batchSize per batch @return how many */
  public long purgePayloads(Instant before, int batchSize) {
    long total = 0;
    int n;
    do {
      n = tx.inTransaction("purgePayloadsBefore", false,
          h -> retention.purgePayloads(tx.connection(h), before, batchSize));
      total += n;
    } while (n == batchSize);
    return total;
  }

  /** Purges finished traces batch by batch. @param before the age @param batchSize per batch
   * @return how many traces */
  public long purgeTraces(Instant before, int batchSize) {
    long total = 0;
    int n;
    do {
      n = tx.inTransaction("purgeFinishedTracesBefore", false,
          h -> retention.purgeTraces(tx.connection(h), before, batchSize));
      total += n;
    } while (n == batchSize);
    return total;
  }
}
