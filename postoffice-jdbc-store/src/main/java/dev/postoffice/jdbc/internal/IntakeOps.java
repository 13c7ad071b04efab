package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.internal.EntryWriter.NewRow;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StaleCursorException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Intake: root entries, dedup keys and polling cursors. Dedup keys are claimed by inserting into a
 * table whose primary key is (route, key): when two nodes take the same key at once, one insert
 * fails, its transaction is retried and then sees the winner's row, so exactly one entry is {@code
 * JUST_IN}.
 */
final class IntakeOps {
  private final Tables tables;
  private final EntryWriter writer;

  IntakeOps(Tables tables, EntryWriter writer) {
    this.tables = tables;
    this.writer = writer;
  }

  List<IntakeResult> intake(Connection c, List<NewEntry> entries, Instant now) throws SQLException {
    Map<String, IntakeResult> byId = existing(c, entries);
    Map<String, Map<String, String>> owners = dedupOwners(c, entries, byId);
    List<IntakeResult> results = new ArrayList<>(entries.size());
    List<NewRow> rows = new ArrayList<>();
    List<String[]> newKeys = new ArrayList<>();
    for (NewEntry e : entries) {
      IntakeResult known = byId.get(e.id().value());
      if (known != null) {
        results.add(known);
        continue;
      }
      String original = null;
      if (e.dedupKey() != null) {
        Map<String, String> routeOwners =
            owners.computeIfAbsent(e.route().value(), r -> new HashMap<>());
        original = routeOwners.putIfAbsent(e.dedupKey(), e.id().value());
        if (original == null) {
          newKeys.add(new String[] {e.route().value(), e.dedupKey(), e.id().value()});
        }
      }
      IntakeResult result =
          original == null
              ? IntakeResult.stored(e.id())
              : IntakeResult.duplicate(e.id(), EntryId.of(original));
      Status status = original == null ? Status.JUST_IN : Status.DUPLICATE;
      rows.add(
          new NewRow(
              e,
              status,
              original,
              original == null
                  ? null
                  : "duplicate of " + original + " (dedup key '" + e.dedupKey() + "')"));
      byId.put(e.id().value(), result);
      results.add(result);
    }
    insertKeys(c, newKeys);
    writer.insert(c, rows, now);
    return results;
  }

  void moveCursor(Connection c, CursorUpdate cursor, Instant now) throws SQLException {
    String actual = null;
    boolean exists = false;
    String select =
        "SELECT cursor_value FROM " + tables.cursor() + " WHERE route = ? AND name = ? FOR UPDATE";
    try (PreparedStatement ps = c.prepareStatement(select)) {
      ps.setString(1, cursor.route().value());
      ps.setString(2, cursor.name());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          exists = true;
          actual = rs.getString(1);
        }
      }
    }
    if (exists ? !actual.equals(cursor.expected()) : cursor.expected() != null) {
      throw new StaleCursorException(cursor.route(), cursor.name(), cursor.expected(), actual);
    }
    String sql =
        exists
            ? "UPDATE "
                + tables.cursor()
                + " SET cursor_value = ?, updated_at = ? WHERE route = ? AND name = ?"
            // A concurrent first poll makes this insert fail; the retried transaction then sees a
            // stale cursor.
            : "INSERT INTO "
                + tables.cursor()
                + " (cursor_value, updated_at, route, name) VALUES (?, ?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, cursor.next());
      ps.setLong(2, Rows.nanos(now));
      ps.setString(3, cursor.route().value());
      ps.setString(4, cursor.name());
      ps.executeUpdate();
    }
  }

  private Map<String, IntakeResult> existing(Connection c, List<NewEntry> entries)
      throws SQLException {
    Map<String, IntakeResult> found = new HashMap<>();
    Set<String> ids = new LinkedHashSet<>();
    entries.forEach(e -> ids.add(e.id().value()));
    if (ids.isEmpty()) {
      return found;
    }
    String sql =
        "SELECT id, duplicate_of FROM "
            + tables.entry()
            + " WHERE id IN ("
            + Tables.placeholders(ids.size())
            + ")";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      for (String id : ids) {
        ps.setString(i++, id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), storedResult(rs));
        }
      }
    }
    return found;
  }

  /**
   * Reads what an earlier intake stored for an entry from a row of {@code id, duplicate_of}.
   *
   * @param rs positioned on the row
   * @return the stored entry's result
   */
  static IntakeResult storedResult(ResultSet rs) throws SQLException {
    EntryId id = EntryId.of(rs.getString(1));
    String dup = rs.getString(2);
    return dup == null ? IntakeResult.stored(id) : IntakeResult.duplicate(id, EntryId.of(dup));
  }

  /** Loads the owners of the dedup keys of the new entries: route to (key to entry id). */
  private Map<String, Map<String, String>> dedupOwners(
      Connection c, List<NewEntry> entries, Map<String, IntakeResult> existing)
      throws SQLException {
    Map<String, Set<String>> keysByRoute = new LinkedHashMap<>();
    for (NewEntry e : entries) {
      if (e.dedupKey() != null && !existing.containsKey(e.id().value())) {
        keysByRoute
            .computeIfAbsent(e.route().value(), r -> new LinkedHashSet<>())
            .add(e.dedupKey());
      }
    }
    Map<String, Map<String, String>> owners = new HashMap<>();
    for (Map.Entry<String, Set<String>> route : keysByRoute.entrySet()) {
      Map<String, String> routeOwners =
          owners.computeIfAbsent(route.getKey(), r -> new HashMap<>());
      String sql =
          "SELECT dedup_key, entry_id FROM "
              + tables.dedup()
              + " WHERE route = ? AND dedup_key IN ("
              + Tables.placeholders(route.getValue().size())
              + ")";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        ps.setString(1, route.getKey());
        int i = 2;
        for (String key : route.getValue()) {
          ps.setString(i++, key);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            routeOwners.put(rs.getString(1), rs.getString(2));
          }
        }
      }
    }
    return owners;
  }

  private void insertKeys(Connection c, List<String[]> keys) throws SQLException {
    if (keys.isEmpty()) {
      return;
    }
    String sql = "INSERT INTO " + tables.dedup() + " (route, dedup_key, entry_id) VALUES (?, ?, ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (String[] k : keys) {
        ps.setString(1, k[0]);
        ps.setString(2, k[1]);
        ps.setString(3, k[2]);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }
}
