package dev.postoffice.jdbc.internal;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.jdbc.internal.EntryWriter.NewRow;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL's fast path: a commit, a transition and a plain intake are each ONE statement
 * (data-modifying {@code WITH} clauses), run in autocommit, so each is one round trip and one
 * atomic transaction. The guards are the same as the portable path's: a completion's UPDATE matches
 * only on its owner, its attempts (the fencing token) and a claimable status, and the history and
 * outputs are written only for the rows that UPDATE returned, in the same statement.
 */
final class PgOps {
  /**
   * Both claimable statuses, joined to each completion: the one that matches tells the status it
   * came from.
   */
  private static final String CLAIMABLE = "(VALUES ('JUST_IN'), ('RETRYING')) AS f(from_status)";

  private static final Comparator<Completion> BY_ID =
      Comparator.comparing(done -> done.entryId().value());

  private final StoreClock clock;
  private final String commit;
  private final String transition;
  private final String transitionAll;
  private final String intake;
  private final String intakeOne;
  private final String existing;
  private final String renew;

  PgOps(Tables t, StoreClock clock) {
    this.clock = clock;
    String history =
        "INSERT INTO " + t.history() + " (entry_id, from_status, to_status, changed_at, detail)";
    String newRows =
        "SELECT "
            + PgEntryArrays.COLUMNS
            + ", parent, ord FROM ("
            + PgEntryArrays.rows(clock)
            + ") nr";
    this.commit =
        "WITH v AS (SELECT * FROM unnest(?::VARCHAR[], ?::VARCHAR[], ?::INTEGER[], ?::VARCHAR[],"
            + " ?::TEXT[], ?::BIGINT[], ?::TEXT[]) AS c(id, owner, token, to_status, last_error, next_at, detail)"
            + " CROSS JOIN "
            + CLAIMABLE
            + "),"
            + " upd AS (UPDATE "
            + t.entry()
            + " e SET status = v.to_status, lease_owner = NULL,"
            + " lease_expires_at = NULL, last_error = v.last_error,"
            + " next_attempt_at = v.next_at + "
            + clock.base()
            + ", updated_at = ?"
            + " FROM v WHERE e.id = v.id AND e.lease_owner = v.owner AND e.attempts = v.token"
            + " AND e.status = v.from_status RETURNING e.id, v.from_status, v.to_status, v.detail),"
            + " hist AS ("
            + history
            + " SELECT id, from_status, to_status, ?, detail FROM upd),"
            + " outs AS (INSERT INTO "
            + t.entry()
            + " ("
            + PgEntryArrays.COLUMNS
            + ") SELECT "
            + PgEntryArrays.COLUMNS
            + " FROM ("
            + newRows
            + ") o WHERE o.parent IN (SELECT id FROM upd)"
            + " ORDER BY o.ord ON CONFLICT (id) DO NOTHING)"
            + " SELECT id, from_status FROM upd";
    // A move to FAILED or REJECTED records its detail as the last error (StatusStore#transition).
    String lastError = ", last_error = CASE WHEN ? THEN ? ELSE e.last_error END";
    this.transition =
        "WITH upd AS (UPDATE "
            + t.entry()
            + " e SET status = ?, lease_owner = NULL,"
            + " lease_expires_at = NULL, next_attempt_at = NULL, updated_at = ?"
            + lastError
            + " FROM (SELECT unnest(?::VARCHAR[]) AS from_status) f WHERE e.id = ? AND e.status = f.from_status"
            + " RETURNING f.from_status, "
            + prefixed("e.", Rows.ALL_COLUMNS)
            + "),"
            + " hist AS ("
            + history
            + " SELECT id, from_status, ?, ?, ? FROM upd)"
            + " SELECT cur.status AS current_status, upd.* FROM (SELECT status FROM "
            + t.entry()
            + " WHERE id = ?) cur LEFT JOIN upd ON TRUE";
    // The outer SELECT reads the statuses as they were when the statement started: an id whose
    // status was in
    // `from` but that the UPDATE skipped was changed by a concurrent transaction meanwhile (run it
    // again).
    this.transitionAll =
        "WITH v AS (SELECT unnest(?::VARCHAR[]) AS id),"
            + " upd AS (UPDATE "
            + t.entry()
            + " e SET status = ?, lease_owner = NULL, lease_expires_at = NULL,"
            + " next_attempt_at = NULL, updated_at = ?"
            + lastError
            + " FROM v CROSS JOIN (SELECT unnest(?::VARCHAR[]) AS from_status) f"
            + " WHERE e.id = v.id AND e.status = f.from_status RETURNING e.id, f.from_status),"
            + " hist AS ("
            + history
            + " SELECT id, from_status, ?, ?, ? FROM upd)"
            + " SELECT cur.id, cur.status, upd.id IS NOT NULL AS moved FROM "
            + t.entry()
            + " cur"
            + " JOIN v ON cur.id = v.id LEFT JOIN upd ON upd.id = cur.id";
    this.intake =
        "WITH ins AS (INSERT INTO "
            + t.entry()
            + " ("
            + PgEntryArrays.COLUMNS
            + ") SELECT "
            + PgEntryArrays.COLUMNS
            + " FROM ("
            + newRows
            + ") o ORDER BY o.ord ON CONFLICT (id) DO NOTHING"
            + " RETURNING id)"
            + " SELECT id FROM ins";
    this.intakeOne =
        "INSERT INTO "
            + t.entry()
            + " ("
            + PgEntryArrays.COLUMNS
            + ") VALUES "
            + PgEntryArrays.values(clock)
            + " ON CONFLICT (id) DO NOTHING RETURNING id";
    this.existing = "SELECT id, duplicate_of FROM " + t.entry() + " WHERE id = ANY(?::VARCHAR[])";
    // GREATEST ignores NULL and never shortens a lease; the rows are taken in id order, as commit
    // takes them.
    this.renew =
        "UPDATE "
            + t.entry()
            + " e SET lease_expires_at = GREATEST(e.lease_expires_at, "
            + clock.time()
            + ") FROM (SELECT * FROM unnest(?::VARCHAR[], ?::INTEGER[]) AS v(id, token) ORDER BY id) v"
            + " WHERE e.id = v.id AND e.lease_owner = ? AND e.attempts = v.token"
            + " AND e.status IN ('JUST_IN', 'RETRYING') RETURNING e.id";
  }

  /** Extends the leases the owner still holds, in one statement; returns their ids. */
  Set<EntryId> renew(
      Connection c, String owner, Map<String, Integer> tokens, Duration leaseDuration, Instant now)
      throws SQLException {
    Set<EntryId> held = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(renew)) {
      ps.setLong(1, clock.after(leaseDuration, now));
      ps.setObject(2, tokens.keySet().toArray(new String[0]));
      ps.setObject(3, tokens.values().toArray(new Integer[0]));
      ps.setString(4, owner);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          held.add(EntryId.of(rs.getString(1)));
        }
      }
    }
    return held;
  }

  private static String prefixed(String prefix, String columns) {
    return prefix + columns.replace(", ", ", " + prefix);
  }

  CommitResult commit(Connection c, List<Completion> completions, Instant now) throws SQLException {
    for (Completion done : completions) {
      // Both claimable statuses allow the same moves, so this check needs no read of the row.
      IllegalStatusTransitionException.check(done.entryId(), Status.JUST_IN, done.newStatus());
    }
    int n = completions.size();
    String[] id = new String[n];
    String[] owner = new String[n];
    Integer[] token = new Integer[n];
    String[] to = new String[n];
    String[] error = new String[n];
    Long[] nextAt = new Long[n];
    String[] detail = new String[n];
    Map<String, NewEntry> outputs = new LinkedHashMap<>();
    Map<String, String> parentOf = new HashMap<>();
    // Rows are updated in id order, the same order transitionAll locks them in: two statements
    // touching the
    // same entries (a publisher's commit and an acknowledgement) then wait for each other instead
    // of
    // deadlocking (which PostgreSQL only breaks after deadlock_timeout, a second by default).
    List<Completion> ordered = new ArrayList<>(completions);
    ordered.sort(BY_ID);
    for (int i = 0; i < n; i++) {
      Completion done = ordered.get(i);
      id[i] = done.entryId().value();
      owner[i] = done.owner();
      token[i] = done.leaseToken();
      to[i] = done.newStatus().name();
      error[i] = done.lastError();
      nextAt[i] = done.newStatus() == Status.RETRYING ? clock.at(done.nextAttemptAt(), now) : null;
      detail[i] = done.detail();
      for (NewEntry out : done.outputs()) {
        if (outputs.putIfAbsent(out.id().value(), out) == null) {
          parentOf.put(out.id().value(), id[i]);
        }
      }
    }
    List<NewRow> rows = new ArrayList<>(outputs.size());
    List<String> parents = new ArrayList<>(outputs.size());
    for (NewEntry out : outputs.values()) {
      rows.add(NewRow.of(out));
      parents.add(parentOf.get(out.id().value()));
    }
    long at = Rows.nanos(now);
    Set<String> applied = new HashSet<>();
    try (PreparedStatement ps = c.prepareStatement(commit)) {
      int p = 1;
      ps.setObject(p++, id);
      ps.setObject(p++, owner);
      ps.setObject(p++, token);
      ps.setObject(p++, to);
      ps.setObject(p++, error);
      ps.setObject(p++, nextAt);
      ps.setObject(p++, detail);
      ps.setLong(p++, at);
      ps.setLong(p++, at);
      PgEntryArrays.bind(ps, p, rows, parents, clock, now);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          applied.add(rs.getString(1));
        }
      }
    }
    List<EntryId> yes = new ArrayList<>();
    List<EntryId> no = new ArrayList<>();
    for (Completion done : completions) {
      // A second completion of the same entry in one batch finds it already moved: refused.
      (applied.remove(done.entryId().value()) ? yes : no).add(done.entryId());
    }
    return new CommitResult(yes, no);
  }

  private static boolean setsLastError(Status to) {
    return to == Status.FAILED || to == Status.REJECTED;
  }

  /**
   * Returns the changed entry; empty if its status is not in {@code from}; null if it raced (run
   * again).
   */
  Optional<Entry> transition(
      Connection c, EntryId id, Set<Status> from, Status to, String detail, Instant now)
      throws SQLException {
    List<String> movable = new ArrayList<>();
    for (Status s : from) {
      if (s.canMoveTo(to)) {
        movable.add(s.name());
      }
    }
    long at = Rows.nanos(now);
    try (PreparedStatement ps = c.prepareStatement(transition)) {
      ps.setString(1, to.name());
      ps.setLong(2, at);
      ps.setBoolean(3, setsLastError(to));
      Rows.setString(ps, 4, detail);
      ps.setObject(5, movable.toArray(new String[0]));
      ps.setString(6, id.value());
      ps.setString(7, to.name());
      ps.setLong(8, at);
      Rows.setString(ps, 9, detail);
      ps.setString(10, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new NoSuchEntryException(id);
        }
        if (rs.getString("id") != null) {
          return Optional.of(Rows.entry(rs, true));
        }
        Status current = Status.valueOf(rs.getString("current_status"));
        if (!from.contains(current)) {
          return Optional.empty();
        }
        // Throws: the status is one of from, but cannot move to `to`.
        IllegalStatusTransitionException.check(id, current, to);
        return null; // it was movable and changed under us: the caller runs this again
      }
    }
  }

  /**
   * Moves those of the entries whose status is in {@code from}, in one statement; adds to {@code
   * moved} the ids it moved and returns the ids that raced (in {@code from} when the statement
   * started, changed by another transaction before it could move them: run again for those).
   */
  List<EntryId> transitionAll(
      Connection c,
      Collection<EntryId> ids,
      Set<Status> from,
      Status to,
      String detail,
      Instant now,
      Set<EntryId> moved)
      throws SQLException {
    long at = Rows.nanos(now);
    List<EntryId> raced = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(transitionAll)) {
      // Distinct and sorted: rows are locked in id order, as commit does (see there).
      ps.setObject(1, ids.stream().map(EntryId::value).distinct().sorted().toArray(String[]::new));
      ps.setString(2, to.name());
      ps.setLong(3, at);
      ps.setBoolean(4, setsLastError(to));
      Rows.setString(ps, 5, detail);
      ps.setObject(6, from.stream().map(Status::name).toArray(String[]::new));
      ps.setString(7, to.name());
      ps.setLong(8, at);
      Rows.setString(ps, 9, detail);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          EntryId id = EntryId.of(rs.getString(1));
          if (rs.getBoolean(3)) {
            moved.add(id);
          } else if (from.contains(Status.valueOf(rs.getString(2)))) {
            raced.add(id);
          }
        }
      }
    }
    return raced;
  }

  /**
   * Intake of entries that have no dedup key: one statement, then a read only for ids that existed.
   */
  List<IntakeResult> intake(Connection c, List<NewEntry> entries, Instant now) throws SQLException {
    Map<String, NewEntry> unique = new LinkedHashMap<>();
    entries.forEach(e -> unique.putIfAbsent(e.id().value(), e));
    List<NewRow> rows = new ArrayList<>(unique.size());
    unique.values().forEach(e -> rows.add(new NewRow(e, Status.JUST_IN, null, null)));
    Set<String> inserted = new HashSet<>();
    boolean one = rows.size() == 1;
    try (PreparedStatement ps = c.prepareStatement(one ? intakeOne : intake)) {
      if (one) {
        PgEntryArrays.bindOne(ps, 1, rows.get(0), clock, now);
      } else {
        PgEntryArrays.bind(ps, 1, rows, null, clock, now);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          inserted.add(rs.getString(1));
        }
      }
    }
    Map<String, IntakeResult> known = new HashMap<>();
    if (inserted.size() < unique.size()) {
      List<String> old = unique.keySet().stream().filter(i -> !inserted.contains(i)).toList();
      try (PreparedStatement ps = c.prepareStatement(existing)) {
        ps.setObject(1, old.toArray(new String[0]));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            known.put(rs.getString(1), IntakeOps.storedResult(rs));
          }
        }
      }
    }
    List<IntakeResult> results = new ArrayList<>(entries.size());
    for (NewEntry e : entries) {
      IntakeResult r = known.get(e.id().value());
      results.add(r != null ? r : IntakeResult.stored(e.id()));
    }
    return results;
  }
}
