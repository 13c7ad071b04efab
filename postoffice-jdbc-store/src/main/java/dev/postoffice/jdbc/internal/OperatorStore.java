package dev.postoffice.jdbc.internal;

import dev.postoffice.model.Entry;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.RoutePause;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The operator methods of the JDBC store (search, dedup-key lookup, route pauses, replay jobs),
 * each in its own transaction with retries; {@code JdbcStatusStore} delegates to it. Arguments are
 * checked by the caller.
 */
public final class OperatorStore {
  private final Transactions tx;
  private final OperatorOps ops;
  private final QueryOps queries;

  /**
   * Creates the operator methods over a store's tables.
   *
   * @param tables the tables
   * @param tx the transaction runner
   * @param clock the clock replay-job leases are judged on (the entries' clock)
   */
  public OperatorStore(Tables tables, Transactions tx, StoreClock clock) {
    this.tx = tx;
    this.ops = new OperatorOps(tables, clock);
    this.queries = new QueryOps(tables);
  }

  /**
   * See {@code StatusStore#search}.
   *
   * @param search the search
   * @return the page
   */
  public EntryPage search(EntrySearch search) {
    return tx.withHandle("search", h -> ops.search(tx.connection(h), search));
  }

  /**
   * See {@code StatusStore#count}.
   *
   * @param filter the filter
   * @return the count
   */
  public long count(EntrySearch filter) {
    return tx.withHandle("count", h -> ops.count(tx.connection(h), filter));
  }

  /**
   * See {@code StatusStore#findByDedupKey}.
   *
   * @param dedupKey the key
   * @return the entries
   */
  public List<Entry> findByDedupKey(String dedupKey) {
    return tx.withHandle(
        "findByDedupKey", h -> queries.byColumn(tx.connection(h), "dedup_key", dedupKey));
  }

  /**
   * See {@code StatusStore#pauseRoute}.
   *
   * @param route the route
   * @param by who
   * @param now when
   * @return the pause
   */
  public RoutePause pause(RouteId route, String by, Instant now) {
    return tx.inTransaction("pauseRoute", true, h -> ops.pause(tx.connection(h), route, by, now));
  }

  /**
   * See {@code StatusStore#resumeRoute}.
   *
   * @param route the route
   * @return whether it was paused
   */
  public boolean resume(RouteId route) {
    return tx.inTransaction("resumeRoute", false, h -> ops.resume(tx.connection(h), route));
  }

  /**
   * See {@code StatusStore#pausedRoutes}.
   *
   * @return the pauses
   */
  public Map<RouteId, RoutePause> paused() {
    return tx.withHandle("pausedRoutes", h -> ops.paused(tx.connection(h)));
  }

  /**
   * See {@code StatusStore#startReplayJob}.
   *
   * @param filter the filter
   * @param by who
   * @param reason why
   * @param now when
   * @return the job
   */
  public ReplayJob start(EntrySearch filter, String by, String reason, Instant now) {
    String id = UUID.randomUUID().toString();
    // A concurrent start of the same filter loses on the unique running key: the retry finds its
    // job.
    return tx.inTransaction(
        "startReplayJob",
        true,
        h -> ops.start(tx.connection(h), filter.filter(), by, reason, id, now));
  }

  /**
   * See {@code StatusStore#replayJob}.
   *
   * @param id the job's id
   * @return the job
   */
  public Optional<ReplayJob> job(String id) {
    return tx.withHandle("replayJob", h -> ops.job(tx.connection(h), id));
  }

  /**
   * See {@code StatusStore#replayJobs}.
   *
   * @param limit the most
   * @return the jobs
   */
  public List<ReplayJob> recent(int limit) {
    return tx.withHandle("replayJobs", h -> ops.recent(tx.connection(h), limit));
  }

  /**
   * See {@code StatusStore#claimReplayJob}.
   *
   * @param owner the node
   * @param lease the lease duration
   * @param now the caller's now
   * @return the claimed job
   */
  public Optional<ReplayJob> claim(String owner, Duration lease, Instant now) {
    return tx.inTransaction(
        "claimReplayJob", false, h -> ops.claim(tx.connection(h), owner, lease, now));
  }

  /**
   * See {@code StatusStore#recordReplayProgress}.
   *
   * @param id the job
   * @param owner the node
   * @param cursor the cursor
   * @param replayed replayed so far
   * @param skipped skipped so far
   * @param lease the lease duration
   * @param now the caller's now
   * @return the job, if still held
   */
  public Optional<ReplayJob> progress(
      String id,
      String owner,
      String cursor,
      long replayed,
      long skipped,
      Duration lease,
      Instant now) {
    return tx.inTransaction(
        "recordReplayProgress",
        false,
        h -> ops.progress(tx.connection(h), id, owner, cursor, replayed, skipped, lease, now));
  }

  /**
   * See {@code StatusStore#cancelReplayJob}.
   *
   * @param id the job
   * @param by who
   * @param now when
   * @return the job as it is now
   */
  public Optional<ReplayJob> cancel(String id, String by, Instant now) {
    return tx.inTransaction(
        "cancelReplayJob", false, h -> ops.cancel(tx.connection(h), id, by, now));
  }

  /**
   * See {@code StatusStore#finishReplayJob}.
   *
   * @param id the job
   * @param owner the node
   * @param state DONE or FAILED
   * @param detail why
   * @param now when
   * @return the ended job, if it was held
   */
  public Optional<ReplayJob> finish(
      String id, String owner, ReplayJob.State state, String detail, Instant now) {
    return tx.inTransaction(
        "finishReplayJob", false, h -> ops.finish(tx.connection(h), id, owner, state, detail, now));
  }
}
