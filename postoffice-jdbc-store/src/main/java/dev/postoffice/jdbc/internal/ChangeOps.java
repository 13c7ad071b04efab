package dev.postoffice.jdbc.internal;

import dev.postoffice.NoSuchEntryException;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Changes outside a claim: transitions (acknowledgements, republishing), operator replays and lease releases.
 * Each locks the row it reads ({@code FOR UPDATE}) and guards its update on the status it read.
 */
final class ChangeOps {
  private final Tables tables;
  private final EntryWriter writer;

  ChangeOps(Tables tables, EntryWriter writer) {
    this.tables = tables;
    this.writer = writer;
  }

  Optional<Entry> transition(Connection c, EntryId id, Set<Status> from, Status to, String detail, Instant now)
      throws SQLException {
    Entry current = lock(c, id);
    if (!from.contains(current.status())) {
      return Optional.empty();
    }
    Status.checkMove(id, current.status(), to);
    String sql = "UPDATE " + tables.entry() + " SET status = ?, lease_owner = NULL, lease_expires_at = NULL,"
        + " next_attempt_at = NULL, updated_at = ? WHERE id = ? AND status = ?";
    guarded(c, sql, id, current.status(), to.name(), Rows.nanos(now));
    writer.appendHistory(c, List.of(new HistoryRecord(id, current.status(), to, now, detail)));
    return Optional.of(current.toBuilder().status(to).lease(null).nextAttemptAt(null).updatedAt(now).build());
  }

  Entry replay(Connection c, EntryId id, String detail, Instant now) throws SQLException {
    Entry current = lock(c, id);
    Status.checkMove(id, current.status(), Status.JUST_IN);
    String sql = "UPDATE " + tables.entry() + " SET status = ?, generation = generation + 1, attempts = 0,"
        + " lease_owner = NULL, lease_expires_at = NULL, last_error = NULL, next_attempt_at = NULL,"
        + " updated_at = ? WHERE id = ? AND status = ?";
    guarded(c, sql, id, current.status(), Status.JUST_IN.name(), Rows.nanos(now));
    List<HistoryRecord> history = new ArrayList<>();
    history.add(new HistoryRecord(id, current.status(), Status.JUST_IN, now, detail));

    List<Entry> outputs = new ArrayList<>();
    String select = "SELECT " + Rows.META_COLUMNS + " FROM " + tables.entry() + " WHERE source_id = ?"
        + " AND status NOT IN ('DUPLICATE', 'SUPERSEDED') ORDER BY created_at, id FOR UPDATE";
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, id.value());
      outputs.addAll(Rows.entries(ps.executeQuery(), false));
    }
    String supersede = "UPDATE " + tables.entry() + " SET status = ?, lease_owner = NULL,"
        + " lease_expires_at = NULL, next_attempt_at = NULL, updated_at = ? WHERE id = ? AND status = ?";
    for (Entry out : outputs) {
      Status.checkMove(out.id(), out.status(), Status.SUPERSEDED);
      guarded(c, supersede, out.id(), out.status(), Status.SUPERSEDED.name(), Rows.nanos(now));
      history.add(new HistoryRecord(out.id(), out.status(), Status.SUPERSEDED, now, detail));
    }
    writer.appendHistory(c, history);
    return current.toBuilder().status(Status.JUST_IN).generation(current.generation() + 1).attempts(0)
        .lease(null).lastError(null).nextAttemptAt(null).updatedAt(now).build();
  }

  int release(Connection c, String owner, Instant now) throws SQLException {
    String sql = "UPDATE " + tables.entry() + " SET lease_owner = NULL, lease_expires_at = NULL,"
        + " attempts = attempts - 1, updated_at = ? WHERE lease_owner = ? AND status IN ('JUST_IN', 'RETRYING')";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setLong(1, Rows.nanos(now));
      ps.setString(2, owner);
      return ps.executeUpdate();
    }
  }

  private Entry lock(Connection c, EntryId id) throws SQLException {
    String sql = "SELECT " + Rows.ALL_COLUMNS + " FROM " + tables.entry() + " WHERE id = ? FOR UPDATE";
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

  /** Runs an update whose last two parameters are the id and the status it must still have. */
  private static void guarded(Connection c, String sql, EntryId id, Status expected, String to, long now)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, to);
      ps.setLong(2, now);
      ps.setString(3, id.value());
      ps.setString(4, expected.name());
      if (ps.executeUpdate() != 1) {
        // Cannot happen while the row is locked; if a database ever lets it, retry the whole transaction.
        throw new SQLException("entry " + id + " changed while locked", "40001");
      }
    }
  }
}
