package dev.postoffice.jdbc.internal;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Changes outside a claim: transitions (acknowledgements, republishing), operator replays and lease
 * releases. Each locks the row it reads ({@code FOR UPDATE}) and guards its update on the status it
 * read.
 */
final class ChangeOps {
  /** Ids per locking SELECT: well under every database's limit on bound parameters. */
  private static final int LOCK_CHUNK = 500;

  private final Tables tables;
  private final EntryWriter writer;

  ChangeOps(Tables tables, EntryWriter writer) {
    this.tables = tables;
    this.writer = writer;
  }

  Optional<Entry> transition(
      Connection c, EntryId id, Set<Status> from, Status to, String detail, Instant now)
      throws SQLException {
    Entry current = lock(c, id);
    if (!from.contains(current.status())) {
      return Optional.empty();
    }
    IllegalStatusTransitionException.check(id, current.status(), to);
    String sql =
        "UPDATE "
            + tables.entry()
            + " SET status = ?, lease_owner = NULL, lease_expires_at = NULL,"
            + " next_attempt_at = NULL, updated_at = ?"
            + setsLastError(to)
            + " WHERE id = ? AND status = ?";
    guarded(c, sql, id, current.status(), to.name(), Rows.nanos(now), to, detail);
    writer.appendHistory(c, List.of(new HistoryRecord(id, current.status(), to, now, detail)));
    return Optional.of(
        current.toBuilder()
            .status(to)
            .lease(null)
            .nextAttemptAt(null)
            .updatedAt(now)
            .lastError(setsLastError(to).isEmpty() ? current.lastError() : detail)
            .build());
  }

  /**
   * Moves those of the entries whose status is in {@code from}: locks them in id order (so two
   * concurrent calls cannot deadlock on each other), then one batched guarded update and one
   * batched history insert.
   */
  Set<EntryId> transitionAll(
      Connection c,
      Collection<EntryId> ids,
      Set<Status> from,
      Status to,
      String detail,
      Instant now)
      throws SQLException {
    TreeMap<String, Status> current = new TreeMap<>();
    List<String> sorted = ids.stream().map(EntryId::value).distinct().sorted().toList();
    for (int start = 0; start < sorted.size(); start += LOCK_CHUNK) {
      List<String> chunk = sorted.subList(start, Math.min(sorted.size(), start + LOCK_CHUNK));
      String sql =
          "SELECT id, status FROM "
              + tables.entry()
              + " WHERE id IN ("
              + Tables.placeholders(chunk.size())
              + ") ORDER BY id FOR UPDATE";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            current.put(rs.getString(1), Status.valueOf(rs.getString(2)));
          }
        }
      }
    }
    current.values().removeIf(s -> !from.contains(s));
    if (current.isEmpty()) {
      return Set.of();
    }
    boolean error = !setsLastError(to).isEmpty();
    String sql =
        "UPDATE "
            + tables.entry()
            + " SET status = ?, lease_owner = NULL, lease_expires_at = NULL,"
            + " next_attempt_at = NULL, updated_at = ?"
            + setsLastError(to)
            + " WHERE id = ? AND status = ?";
    List<HistoryRecord> history = new ArrayList<>(current.size());
    Set<EntryId> moved = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Map.Entry<String, Status> row : current.entrySet()) {
        int p = 1;
        ps.setString(p++, to.name());
        ps.setLong(p++, Rows.nanos(now));
        if (error) {
          Rows.setString(ps, p++, detail);
        }
        ps.setString(p++, row.getKey());
        ps.setString(p, row.getValue().name());
        ps.addBatch();
        EntryId id = EntryId.of(row.getKey());
        history.add(new HistoryRecord(id, row.getValue(), to, now, detail));
        moved.add(id);
      }
      for (int count : ps.executeBatch()) {
        if (count == 0) {
          // Cannot happen while the rows are locked; if a database ever lets it, retry the whole
          // transaction.
          throw new SQLException("an entry changed while locked", "40001");
        }
      }
    }
    writer.appendHistory(c, history);
    return moved;
  }

  Entry replay(Connection c, EntryId id, String detail, Instant now) throws SQLException {
    Entry current = lock(c, id);
    IllegalStatusTransitionException.check(id, current.status(), Status.JUST_IN);
    String sql =
        "UPDATE "
            + tables.entry()
            + " SET status = ?, generation = generation + 1, attempts = 0,"
            + " lease_owner = NULL, lease_expires_at = NULL, last_error = NULL, next_attempt_at = NULL,"
            + " updated_at = ? WHERE id = ? AND status = ?";
    guarded(
        c, sql, id, current.status(), Status.JUST_IN.name(), Rows.nanos(now), Status.JUST_IN, null);
    List<HistoryRecord> history = new ArrayList<>();
    history.add(new HistoryRecord(id, current.status(), Status.JUST_IN, now, detail));

    List<Entry> outputs = new ArrayList<>();
    String select =
        "SELECT "
            + Rows.META_COLUMNS
            + " FROM "
            + tables.entry()
            + " WHERE source_id = ?"
            + " AND status NOT IN ('DUPLICATE', 'SUPERSEDED') ORDER BY created_at, id FOR UPDATE";
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, id.value());
      outputs.addAll(Rows.entries(ps.executeQuery(), false));
    }
    String supersede =
        "UPDATE "
            + tables.entry()
            + " SET status = ?, lease_owner = NULL,"
            + " lease_expires_at = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND status = ?";
    for (Entry out : outputs) {
      IllegalStatusTransitionException.check(out.id(), out.status(), Status.SUPERSEDED);
      guarded(
          c,
          supersede,
          out.id(),
          out.status(),
          Status.SUPERSEDED.name(),
          Rows.nanos(now),
          Status.SUPERSEDED,
          null);
      history.add(new HistoryRecord(out.id(), out.status(), Status.SUPERSEDED, now, detail));
    }
    writer.appendHistory(c, history);
    return current.toBuilder()
        .status(Status.JUST_IN)
        .generation(current.generation() + 1)
        .attempts(0)
        .lease(null)
        .lastError(null)
        .nextAttemptAt(null)
        .updatedAt(now)
        .build();
  }

  int release(Connection c, String owner, Instant now) throws SQLException {
    // attempts is left as it is: it is the fencing token, and giving it back would hand the same
    // token out
    // twice (a stale completion of the released claim would then match the next claim of the same
    // owner).
    String sql =
        "UPDATE "
            + tables.entry()
            + " SET lease_owner = NULL, lease_expires_at = NULL,"
            + " updated_at = ? WHERE lease_owner = ? AND status IN ('JUST_IN', 'RETRYING')";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, Rows.nanos(now));
      ps.setString(2, owner);
      return ps.executeUpdate();
    }
  }

  /**
   * Extends the leases the owner still holds (claimable, its lease, the token): one batched guarded
   * update in id order; returns their ids.
   */
  Set<EntryId> renew(
      Connection c,
      String owner,
      Map<String, Integer> tokens,
      Duration leaseDuration,
      StoreClock clock,
      Instant now)
      throws SQLException {
    String sql =
        "UPDATE "
            + tables.entry()
            + " SET lease_expires_at = CASE WHEN lease_expires_at IS NULL OR lease_expires_at < "
            + clock.time()
            + " THEN "
            + clock.time()
            + " ELSE lease_expires_at END"
            + " WHERE id = ? AND lease_owner = ? AND attempts = ? AND status IN ('JUST_IN', 'RETRYING')";
    long until = clock.after(leaseDuration, now);
    List<String> ids = new ArrayList<>(new TreeMap<>(tokens).keySet());
    Set<EntryId> held = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (String id : ids) {
        ps.setLong(1, until);
        ps.setLong(2, until);
        ps.setString(3, id);
        ps.setString(4, owner);
        ps.setInt(5, tokens.get(id));
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < ids.size(); i++) {
        if (Batches.applied(counts, i)) {
          held.add(EntryId.of(ids.get(i)));
        }
      }
    }
    return held;
  }

  private Entry lock(Connection c, EntryId id) throws SQLException {
    String sql =
        "SELECT " + Rows.ALL_COLUMNS + " FROM " + tables.entry() + " WHERE id = ? FOR UPDATE";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NoSuchEntryException(id);
        }
        return Rows.entry(rs, true);
      }
    }
  }

  /** A move to FAILED or REJECTED records its detail as the last error (StatusStore#transition). */
  static String setsLastError(Status to) {
    return to == Status.FAILED || to == Status.REJECTED ? ", last_error = ?" : "";
  }

  /**
   * Runs an update whose last two parameters are the id and the status it must still have, with the
   * detail as third parameter where {@link #setsLastError} put one in the statement.
   */
  private static void guarded(
      Connection c,
      String sql,
      EntryId id,
      Status expected,
      String to,
      long now,
      Status target,
      String detail)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int p = 1;
      ps.setString(p++, to);
      ps.setLong(p++, now);
      if (!setsLastError(target).isEmpty()) {
        Rows.setString(ps, p++, detail);
      }
      ps.setString(p++, id.value());
      ps.setString(p, expected.name());
      if (ps.executeUpdate() != 1) {
        // Cannot happen while the row is locked; if a database ever lets it, retry the whole
        // transaction.
        throw new SQLException("entry " + id + " changed while locked", "40001");
      }
    }
  }
}
