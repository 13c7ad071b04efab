package dev.postoffice.jdbc.internal;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.jdbc.internal.EntryWriter.NewRow;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Commits completions. Each status change is one UPDATE guarded by owner, attempts (the fencing
 * token) and a claimable status, so a node presumed dead can never overwrite newer state; the
 * update counts say which completions applied. Only then are their outputs and history rows
 * inserted, all in the same transaction.
 */
final class CommitOps {
  private final EntryWriter writer;
  private final StoreClock clock;
  private final String guardedUpdate;

  CommitOps(Tables tables, EntryWriter writer, StoreClock clock) {
    this.writer = writer;
    this.clock = clock;
    // The next attempt is due on the store's clock: the caller's delay from its now, from the
    // store's now.
    this.guardedUpdate =
        "UPDATE "
            + tables.entry()
            + " SET status = ?, lease_owner = NULL,"
            + " lease_expires_at = NULL, last_error = ?, next_attempt_at = "
            + clock.time()
            + ", updated_at = ?"
            + " WHERE id = ? AND lease_owner = ? AND attempts = ? AND status = ?";
  }

  CommitResult commit(Connection c, List<Completion> completions, Instant now) throws SQLException {
    for (Completion done : completions) {
      // Both claimable statuses allow the same moves, so this check needs no read of the row.
      IllegalStatusTransitionException.check(done.entryId(), Status.JUST_IN, done.newStatus());
    }
    // Guard on JUST_IN first, then on RETRYING for the rest: the update counts tell the status it
    // came from,
    // without reading the row first.
    Status[] from = new Status[completions.size()];
    update(c, completions, from, Status.JUST_IN, now);
    update(c, completions, from, Status.RETRYING, now);

    List<EntryId> applied = new ArrayList<>();
    List<EntryId> refused = new ArrayList<>();
    List<HistoryRecord> history = new ArrayList<>();
    Map<String, NewEntry> outputs = new LinkedHashMap<>();
    for (int i = 0; i < completions.size(); i++) {
      Completion done = completions.get(i);
      if (from[i] == null) {
        refused.add(done.entryId());
        continue;
      }
      applied.add(done.entryId());
      history.add(new HistoryRecord(done.entryId(), from[i], done.newStatus(), now, done.detail()));
      for (NewEntry out : done.outputs()) {
        outputs.putIfAbsent(out.id().value(), out);
      }
    }
    Set<String> existing = writer.existingIds(c, outputs.keySet());
    List<NewRow> rows = new ArrayList<>(outputs.size());
    for (NewEntry out : outputs.values()) {
      if (!existing.contains(out.id().value())) {
        rows.add(NewRow.of(out));
      }
    }
    writer.insert(c, rows, now);
    writer.appendHistory(c, history);
    return new CommitResult(applied, refused);
  }

  private void update(
      Connection c, List<Completion> completions, Status[] from, Status guard, Instant now)
      throws SQLException {
    List<Integer> pending = new ArrayList<>();
    for (int i = 0; i < completions.size(); i++) {
      if (from[i] == null) {
        pending.add(i);
      }
    }
    if (pending.isEmpty()) {
      return;
    }
    // Updated in id order, the order transitionAll locks in, so the two wait for each other, never
    // deadlock.
    pending.sort(Comparator.comparing(i -> completions.get(i).entryId().value()));
    try (PreparedStatement ps = c.prepareStatement(guardedUpdate)) {
      for (int i : pending) {
        Completion done = completions.get(i);
        ps.setString(1, done.newStatus().name());
        Rows.setString(ps, 2, done.lastError());
        if (done.newStatus() == Status.RETRYING) {
          ps.setLong(3, clock.at(done.nextAttemptAt(), now));
        } else {
          ps.setNull(3, Types.BIGINT);
        }
        ps.setLong(4, Rows.nanos(now));
        ps.setString(5, done.entryId().value());
        ps.setString(6, done.owner());
        ps.setInt(7, done.leaseToken());
        ps.setString(8, guard.name());
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int k = 0; k < pending.size(); k++) {
        if (Batches.applied(counts, k)) {
          from[pending.get(k)] = guard;
        }
      }
    }
  }
}
