package dev.postoffice.jdbc.internal;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL's writes: each is ONE statement run in autocommit ({@link PgOps}), so one round trip
 * and no BEGIN or COMMIT. An intake with a cursor move, dedup keys or no entries takes the portable
 * path. Every insert is counted for the {@link YoungTableAnalyzer}s: the entry table's and the
 * dedup table's (whose batch lookup by key, cached as a generic plan while the table was nearly
 * empty, otherwise reads the whole table on every intake: 7 ms per batch at 10,000 keys, measured).
 */
final class PostgresWritePath implements WritePath {
  private final Transactions tx;
  private final PgOps pg;
  private final ClaimOps claims;
  private final PortableWritePath portable;
  private final YoungTableAnalyzer analyzer;
  private final YoungTableAnalyzer dedupAnalyzer;

  PostgresWritePath(
      Transactions tx,
      PgOps pg,
      ClaimOps claims,
      PortableWritePath portable,
      YoungTableAnalyzer analyzer,
      YoungTableAnalyzer dedupAnalyzer) {
    this.tx = tx;
    this.pg = pg;
    this.claims = claims;
    this.portable = portable;
    this.analyzer = analyzer;
    this.dedupAnalyzer = dedupAnalyzer;
  }

  @Override
  public List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now) {
    List<IntakeResult> results;
    if (cursor == null
        && !entries.isEmpty()
        && entries.stream().allMatch(e -> e.dedupKey() == null)) {
      results = tx.statement("intake", h -> pg.intake(tx.connection(h), entries, now));
    } else {
      results = portable.intake(entries, cursor, now);
      int keys = 0;
      for (NewEntry e : entries) {
        keys += e.dedupKey() == null ? 0 : 1;
      }
      dedupAnalyzer.inserted(keys);
    }
    analyzer.inserted(entries.size());
    return results;
  }

  /** The claim's one UPDATE ... RETURNING statement (see {@link ClaimOps}), in autocommit. */
  @Override
  public List<Entry> claim(ClaimRequest request) {
    return tx.statement("claim", h -> claims.claim(tx.connection(h), request));
  }

  @Override
  public CommitResult commit(List<Completion> completions, Instant now) {
    CommitResult result =
        tx.statement("commit", h -> pg.commit(tx.connection(h), completions, now));
    int outputs = 0;
    for (Completion done : completions) {
      outputs += done.outputs().size();
    }
    analyzer.inserted(outputs);
    return result;
  }

  /** Runs the statement again while the entry's status changes between its read and its update. */
  @Override
  public Optional<Entry> transition(
      EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    for (int attempt = 1; ; attempt++) {
      Optional<Entry> moved =
          tx.statement(
              "transition", h -> pg.transition(tx.connection(h), id, from, to, detail, now));
      if (moved != null) {
        return moved;
      }
      if (attempt == Transactions.MAX_ATTEMPTS) {
        throw new StoreUnavailableException(
            "JDBC store: transition of "
                + id
                + " gave up after "
                + attempt
                + " attempts, its status kept changing; nothing was changed",
            null);
      }
    }
  }

  /**
   * Runs the statement again for the entries whose status changed between its read and its update.
   */
  @Override
  public Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now) {
    Set<EntryId> moved = new HashSet<>();
    Collection<EntryId> pending = ids;
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > Transactions.MAX_ATTEMPTS) {
        throw new StoreUnavailableException(
            "JDBC store: transitionAll gave up after "
                + Transactions.MAX_ATTEMPTS
                + " attempts on "
                + pending.size()
                + " entries whose status kept changing; "
                + moved.size()
                + " others were moved",
            null);
      }
      Collection<EntryId> batch = pending;
      pending =
          tx.statement(
              "transitionAll",
              h -> pg.transitionAll(tx.connection(h), batch, from, to, detail, now, moved));
    }
    return moved;
  }

  @Override
  public Set<EntryId> renew(
      String owner, Map<String, Integer> tokens, Duration leaseDuration, Instant now) {
    return tx.statement(
        "renew", h -> pg.renew(tx.connection(h), owner, tokens, leaseDuration, now));
  }
}
