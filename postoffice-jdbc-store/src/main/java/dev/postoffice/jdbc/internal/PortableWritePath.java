package dev.postoffice.jdbc.internal;

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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The writes in plain SQL that every supported database runs (MariaDB, H2): each operation is one
 * transaction of locking reads and batched guarded updates.
 */
final class PortableWritePath implements WritePath {
  private final Transactions tx;
  private final StoreClock clock;
  private final IntakeOps intake;
  private final ClaimOps claims;
  private final CommitOps commits;
  private final ChangeOps changes;

  PortableWritePath(
      Transactions tx,
      StoreClock clock,
      IntakeOps intake,
      ClaimOps claims,
      CommitOps commits,
      ChangeOps changes) {
    this.tx = tx;
    this.clock = clock;
    this.intake = intake;
    this.claims = claims;
    this.commits = commits;
    this.changes = changes;
  }

  @Override
  public List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now) {
    return tx.inTransaction(
        "intake",
        true,
        h -> {
          if (cursor != null) {
            intake.moveCursor(tx.connection(h), cursor, now);
          }
          return entries.isEmpty() ? List.of() : intake.intake(tx.connection(h), entries, now);
        });
  }

  @Override
  public List<Entry> claim(ClaimRequest request) {
    return tx.inTransaction("claim", false, h -> claims.claim(tx.connection(h), request));
  }

  @Override
  public CommitResult commit(List<Completion> completions, Instant now) {
    return tx.inTransaction(
        "commit", true, h -> commits.commit(tx.connection(h), completions, now));
  }

  @Override
  public Optional<Entry> transition(
      EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    return tx.inTransaction(
        "transition", false, h -> changes.transition(tx.connection(h), id, from, to, detail, now));
  }

  @Override
  public Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now) {
    return tx.inTransaction(
        "transitionAll",
        false,
        h -> changes.transitionAll(tx.connection(h), ids, from, to, detail, now));
  }

  @Override
  public Set<EntryId> renew(
      String owner, Map<String, Integer> tokens, Duration leaseDuration, Instant now) {
    return tx.inTransaction(
        "renew",
        false,
        h -> changes.renew(tx.connection(h), owner, tokens, leaseDuration, clock, now));
  }
}
