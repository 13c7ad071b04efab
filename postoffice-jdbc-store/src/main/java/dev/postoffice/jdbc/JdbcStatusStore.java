package dev.postoffice.jdbc;

import dev.postoffice.jdbc.internal.Migrator;
import dev.postoffice.jdbc.internal.OperatorStore;
import dev.postoffice.jdbc.internal.StoreClock;
import dev.postoffice.jdbc.internal.StoreOperations;
import dev.postoffice.jdbc.internal.Tables;
import dev.postoffice.jdbc.internal.Transactions;
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
import dev.postoffice.spi.StorableText;
import dev.postoffice.spi.StoreCapabilities;
import java.io.IOException;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * A {@link StatusStore} on a relational database: PostgreSQL (the primary target), MariaDB/MySQL or
 * H2. Several nodes can share one database: due entries are claimed with {@code FOR UPDATE SKIP
 * LOCKED} under a lease, and every commit is a conditional update fenced by the lease's attempt
 * number, so a node presumed dead cannot overwrite newer work. Claims, outputs, status changes and
 * history are written in batches, one transaction per call. Deadlocks and serialization failures
 * are retried; an unreachable database surfaces as {@link
 * dev.postoffice.StoreUnavailableException}.
 *
 * <p>Leases and due times are judged on the database's clock by default ({@link JdbcClock}), so
 * nodes whose clocks differ still agree on when a lease expires: a node whose clock is ahead does
 * not take over work early.
 *
 * <pre>{@code
 * HikariDataSource dataSource = new HikariDataSource(config); // the host's pool
 * JdbcStatusStore store = JdbcStatusStore.builder(dataSource)
 *     .tablePrefix("po_")   // the default
 *     .build();             // the dialect is detected from the connection
 * store.migrate();          // or hand store.writeSchema(writer) to Flyway or Liquibase
 * }</pre>
 *
 * <p>This class is thread-safe. It never closes the host's {@code DataSource}.
 */
public final class JdbcStatusStore implements StatusStore {
  private final Config config;
  private final Migrator migrator;
  private final StoreOperations ops;
  private final OperatorStore operator;

  private JdbcStatusStore(Config config) {
    this.config = config;
    Transactions tx =
        new Transactions(config.jdbi(), config.tables().dialect(), config.statementTimeout());
    this.migrator = new Migrator(config.tables(), tx);
    StoreClock storeClock =
        new StoreClock(config.tables().dialect(), config.clock() == JdbcClock.DATABASE);
    this.ops = new StoreOperations(config.tables(), tx, storeClock);
    this.operator = new OperatorStore(config.tables(), tx, storeClock);
  }

  /**
   * Starts a builder on the host's {@code DataSource} (a pool such as HikariCP is recommended).
   *
   * @param dataSource the database
   * @return a new builder
   * @throws NullPointerException if dataSource is null
   */
  public static JdbcStoreBuilder<JdbcStatusStore> builder(DataSource dataSource) {
    Objects.requireNonNull(dataSource, "dataSource cannot be null");
    return new JdbcStoreBuilder<>(Jdbi.create(dataSource), JdbcStatusStore::new);
  }

  /**
   * Starts a builder on a {@link Jdbi} the host already configured.
   *
   * @param jdbi the database
   * @return a new builder
   * @throws NullPointerException if jdbi is null
   */
  public static JdbcStoreBuilder<JdbcStatusStore> builder(Jdbi jdbi) {
    Objects.requireNonNull(jdbi, "jdbi cannot be null");
    return new JdbcStoreBuilder<>(jdbi, JdbcStatusStore::new);
  }

  /**
   * Creates or upgrades the store's tables by applying the versioned SQL files shipped in this jar,
   * and records them in the {@code <prefix>schema_version} table. Safe to call from several nodes
   * at once: they wait on a database lock (PostgreSQL advisory lock, MariaDB {@code GET_LOCK}) and
   * the second finds nothing to do.
   *
   * @return how many schema versions were applied (0 if the schema was up to date)
   * @throws dev.postoffice.StoreUnavailableException if the database cannot be reached
   * @throws dev.postoffice.ConfigurationException if the server is a MariaDB before 10.6 or a MySQL
   *     before 8.0.1, which lack the {@code SKIP LOCKED} claims need (the message names the
   *     version; nothing is created)
   */
  public int migrate() {
    return migrator.migrate(Instant.now());
  }

  /**
   * Writes the SQL that {@link #migrate()} would apply, with the table prefix filled in, for hosts
   * that run migrations with Flyway, Liquibase or a DBA. (The versioned files themselves are in
   * this jar under {@code dev/postoffice/jdbc/schema/<dialect>/}, with a {@code ${prefix}}
   * placeholder.)
   *
   * @param out where to write
   * @throws IOException if writing fails
   */
  public void writeSchema(Writer out) throws IOException {
    Objects.requireNonNull(out, "out cannot be null").write(migrator.schemaSql());
    out.flush();
  }

  /**
   * Returns the schema version recorded by {@link #migrate()}.
   *
   * @return the version, 0 if never migrated
   */
  public int schemaVersion() {
    return migrator.currentVersion();
  }

  /**
   * Returns the dialect in use (set on the builder or detected).
   *
   * @return the dialect
   */
  public JdbcDialect dialect() {
    return config.tables().dialect();
  }

  /**
   * Returns the table prefix in use.
   *
   * @return the prefix
   */
  public String tablePrefix() {
    return config.tables().prefix();
  }

  /**
   * Deletes the payloads of finished entries (any status but {@code JUST_IN}, {@code RETRYING} and
   * {@code QUEUED}) last updated before a time, keeping their statuses and history. Works in
   * batches of {@code batchSize}, one short transaction each, until none is left.
   *
   * @param before purge entries last updated strictly before this time
   * @param batchSize entries per transaction, 1 to 10000
   * @return how many payloads were purged
   * @throws IllegalArgumentException if batchSize is out of range
   */
  public long purgePayloadsBefore(Instant before, int batchSize) {
    Objects.requireNonNull(before, "before cannot be null");
    return ops.purgePayloads(before, checkBatchSize(batchSize));
  }

  /**
   * Deletes whole traces (entries, history, dedup keys) none of whose entries is waiting ({@code
   * JUST_IN}, {@code RETRYING}, {@code QUEUED}) and whose newest change is before a time. Works in
   * batches of {@code batchSize} traces, one short transaction each, until none is left. A message
   * re-sent with a dedup key of a purged trace is new again. Only entries still finished and old
   * when they are deleted go: an entry that joins a selected trace meanwhile (a replay, a
   * downstream message carrying an old trace id) stays, with its history.
   *
   * @param before purge traces whose every entry was last updated strictly before this time
   * @param batchSize traces per transaction, 1 to 10000
   * @return how many traces were purged
   * @throws IllegalArgumentException if batchSize is out of range
   */
  public long purgeFinishedTracesBefore(Instant before, int batchSize) {
    Objects.requireNonNull(before, "before cannot be null");
    return ops.purgeTraces(before, checkBatchSize(batchSize));
  }

  private static int checkBatchSize(int batchSize) {
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException(
          "batchSize must be between 1 and 10000, but was " + batchSize);
    }
    return batchSize;
  }

  @Override
  public StoreCapabilities capabilities() {
    return config.capabilities();
  }

  @Override
  public List<IntakeResult> intake(List<NewEntry> entries, Instant now) {
    Objects.requireNonNull(entries, "entries cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    notFinished(entries);
    return ops.intake(entries, null, now);
  }

  @Override
  public List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now) {
    Objects.requireNonNull(entries, "entries cannot be null");
    Objects.requireNonNull(cursor, "cursor cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    notFinished(entries);
    return ops.intake(entries, cursor, now);
  }

  private static void notFinished(List<NewEntry> entries) {
    for (NewEntry e : entries) {
      if (e != null && e.finishedAs() != null) {
        throw new IllegalArgumentException(
            "intake: entry "
                + e.id()
                + " has finishedAs "
                + e.finishedAs().name()
                + "; only a completion's outputs can be stored finished");
      }
    }
  }

  @Override
  public Optional<String> cursor(RouteId route, String name) {
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(name, "name cannot be null");
    return ops.cursor(route, name);
  }

  @Override
  public List<Entry> claim(ClaimRequest request) {
    return ops.claim(Objects.requireNonNull(request, "request cannot be null"));
  }

  @Override
  public CommitResult commit(List<Completion> completions, Instant now) {
    Objects.requireNonNull(completions, "completions cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    return ops.commit(completions, now);
  }

  @Override
  public Optional<Entry> transition(
      EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(from, "from cannot be null");
    Objects.requireNonNull(to, "to cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    return ops.transition(id, from, to, StorableText.detail(detail), now);
  }

  @Override
  public Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now) {
    Objects.requireNonNull(ids, "ids cannot be null");
    Objects.requireNonNull(from, "from cannot be null");
    Objects.requireNonNull(to, "to cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    ids.forEach(id -> Objects.requireNonNull(id, "ids cannot contain null"));
    StatusStore.checkMovable(from, to);
    return ops.transitionAll(ids, from, to, StorableText.detail(detail), now);
  }

  @Override
  public Entry replay(EntryId id, String detail, Instant now) {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    return ops.replay(id, StorableText.detail(detail), now);
  }

  @Override
  public int release(String owner, Instant now) {
    Objects.requireNonNull(owner, "owner cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    return ops.release(owner, now);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Here, on the store's clock ({@link JdbcStoreBuilder#clock}): the database's by default. One
   * statement on PostgreSQL, one batched update on the others.
   */
  @Override
  public Set<EntryId> renew(
      String owner, Collection<HeldLease> leases, Duration leaseDuration, Instant now) {
    StatusStore.checkRenewal(owner, leases, leaseDuration, now);
    return ops.renew(owner, leases, leaseDuration, now);
  }

  /**
   * Returns the clock leases and due times are judged on (set on the builder).
   *
   * @return the clock
   */
  public JdbcClock clock() {
    return config.clock();
  }

  @Override
  public Optional<Entry> find(EntryId id) {
    return ops.find(Objects.requireNonNull(id, "id cannot be null"));
  }

  @Override
  public List<HistoryRecord> history(EntryId id) {
    return ops.history(Objects.requireNonNull(id, "id cannot be null"));
  }

  @Override
  public List<Entry> findByTrace(TraceId traceId) {
    return ops.findByTrace(Objects.requireNonNull(traceId, "traceId cannot be null"));
  }

  @Override
  public List<Entry> findBySource(EntryId sourceId) {
    return ops.findBySource(Objects.requireNonNull(sourceId, "sourceId cannot be null"));
  }

  @Override
  public List<Entry> query(EntryQuery query) {
    return ops.query(Objects.requireNonNull(query, "query cannot be null"));
  }

  @Override
  public List<StatusCount> countByStatus() {
    return ops.countByStatus();
  }

  @Override
  public long backlog(RouteId route) {
    return ops.backlog(Objects.requireNonNull(route, "route cannot be null"));
  }

  /**
   * Does nothing: the store holds no resources of its own, and the host owns its {@code
   * DataSource}.
   */
  // ---- operator methods ------------------------------------------------------------------------

  @Override
  public EntryPage search(EntrySearch search) {
    return operator.search(Objects.requireNonNull(search, "search cannot be null"));
  }

  @Override
  public long count(EntrySearch filter) {
    return operator.count(Objects.requireNonNull(filter, "filter cannot be null"));
  }

  @Override
  public List<Entry> findByDedupKey(String dedupKey) {
    return operator.findByDedupKey(Objects.requireNonNull(dedupKey, "dedupKey cannot be null"));
  }

  @Override
  public RoutePause pauseRoute(RouteId route, String by, Instant now) {
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(by, "by cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    return operator.pause(route, by, now);
  }

  @Override
  public boolean resumeRoute(RouteId route, String by, Instant now) {
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(by, "by cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    return operator.resume(route);
  }

  @Override
  public Map<RouteId, RoutePause> pausedRoutes() {
    return operator.paused();
  }

  @Override
  public ReplayJob startReplayJob(
      EntrySearch filter, String requestedBy, String reason, Instant now) {
    Objects.requireNonNull(filter, "filter cannot be null");
    Objects.requireNonNull(requestedBy, "requestedBy cannot be null");
    Objects.requireNonNull(reason, "reason cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    return operator.start(filter, requestedBy, StorableText.detail(reason), now);
  }

  @Override
  public Optional<ReplayJob> replayJob(String id) {
    return operator.job(Objects.requireNonNull(id, "id cannot be null"));
  }

  @Override
  public List<ReplayJob> replayJobs(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, but was " + limit);
    }
    return operator.recent(limit);
  }

  @Override
  public Optional<ReplayJob> claimReplayJob(String owner, Duration leaseDuration, Instant now) {
    Objects.requireNonNull(owner, "owner cannot be null");
    checkLease(leaseDuration);
    Objects.requireNonNull(now, "now cannot be null");
    return operator.claim(owner, leaseDuration, now);
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
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(owner, "owner cannot be null");
    checkLease(leaseDuration);
    Objects.requireNonNull(now, "now cannot be null");
    return operator.progress(id, owner, cursor, replayed, skipped, leaseDuration, now);
  }

  @Override
  public Optional<ReplayJob> cancelReplayJob(String id, String by, Instant now) {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(by, "by cannot be null");
    Objects.requireNonNull(now, "now cannot be null");
    return operator.cancel(id, by, now);
  }

  @Override
  public Optional<ReplayJob> finishReplayJob(
      String id, String owner, ReplayJob.State state, String detail, Instant now) {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(owner, "owner cannot be null");
    if (state != ReplayJob.State.DONE && state != ReplayJob.State.FAILED) {
      throw new IllegalArgumentException("state must be DONE or FAILED, but was " + state);
    }
    Objects.requireNonNull(now, "now cannot be null");
    return operator.finish(id, owner, state, StorableText.detail(detail), now);
  }

  private static void checkLease(Duration leaseDuration) {
    Objects.requireNonNull(leaseDuration, "leaseDuration cannot be null");
    if (leaseDuration.isNegative() || leaseDuration.isZero()) {
      throw new IllegalArgumentException(
          "leaseDuration must be positive, but was " + leaseDuration);
    }
  }

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "JdbcStatusStore[" + dialect() + ", prefix=" + tablePrefix() + "]";
  }

  /** The fixed configuration a builder produced. */
  record Config(
      Jdbi jdbi,
      Tables tables,
      StoreCapabilities capabilities,
      JdbcClock clock,
      Duration statementTimeout) {}
}
