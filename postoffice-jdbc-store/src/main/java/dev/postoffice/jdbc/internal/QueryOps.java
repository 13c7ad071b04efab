package dev.postoffice.jdbc.internal;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.StatusCount;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads for operators and the engine. Listings never select payloads unless asked to. */
final class QueryOps {
  private final Tables tables;
  private final String creation;
  private final String history;

  QueryOps(Tables tables) {
    this.tables = tables;
    this.creation =
        "SELECT born_status, born_detail, created_at FROM " + tables.entry() + " WHERE id = ?";
    this.history =
        "SELECT entry_id, from_status, to_status, changed_at, detail FROM "
            + tables.history()
            + " WHERE entry_id = ? ORDER BY seq";
  }

  Optional<Entry> find(Connection c, EntryId id) throws SQLException {
    String sql = "SELECT " + Rows.ALL_COLUMNS + " FROM " + tables.entry() + " WHERE id = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, id.value());
      return Rows.entries(ps.executeQuery(), true).stream().findFirst();
    }
  }

  /**
   * The entry's history: its creation records, read from its row (see {@link
   * EntryWriter#creation}), then the history rows of its later changes, in the order written.
   */
  List<HistoryRecord> history(Connection c, EntryId id) throws SQLException {
    List<HistoryRecord> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(creation)) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (rs.next()) {
          out.addAll(
              EntryWriter.creation(
                  id,
                  rs.getString("born_status"),
                  rs.getString("born_detail"),
                  Rows.instant(rs.getLong("created_at"))));
        }
      }
    }
    try (PreparedStatement ps = c.prepareStatement(history)) {
      ps.setString(1, id.value());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(Rows.history(rs));
        }
      }
    }
    return out;
  }

  List<Entry> byColumn(Connection c, String column, String value) throws SQLException {
    String sql =
        "SELECT "
            + Rows.META_COLUMNS
            + " FROM "
            + tables.entry()
            + " WHERE "
            + column
            + " = ?"
            + " ORDER BY created_at, id";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, value);
      return Rows.entries(ps.executeQuery(), false);
    }
  }

  List<Entry> query(Connection c, EntryQuery q) throws SQLException {
    OperatorOps.Query statement = queryStatement(q);
    try (PreparedStatement ps = c.prepareStatement(statement.sql())) {
      OperatorOps.bind(ps, statement.args());
      return Rows.entries(ps.executeQuery(), q.withPayload());
    }
  }

  /** The statement {@link #query} runs, with its arguments. */
  OperatorOps.Query queryStatement(EntryQuery q) {
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(q.withPayload() ? Rows.ALL_COLUMNS : Rows.META_COLUMNS)
            .append(" FROM ")
            .append(tables.entry())
            .append(" WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (q.route() != null) {
      sql.append(" AND route = ?");
      args.add(q.route().value());
    }
    if (q.layer() != null) {
      sql.append(" AND layer = ?");
      args.add(q.layer().number());
    }
    if (!q.statuses().isEmpty()) {
      sql.append(" AND status IN (").append(Tables.statusLiterals(q.statuses())).append(')');
    }
    if (q.updatedBefore() != null) {
      sql.append(" AND updated_at < ?");
      args.add(Rows.nanos(q.updatedBefore()));
    }
    sql.append(" ORDER BY updated_at, id LIMIT ?");
    args.add(q.limit());
    return new OperatorOps.Query(sql.toString(), args);
  }

  List<StatusCount> countByStatus(Connection c) throws SQLException {
    String sql =
        "SELECT route, layer, status, COUNT(*) FROM "
            + tables.entry()
            + " GROUP BY route, layer, status ORDER BY route, layer, status";
    try (PreparedStatement ps = c.prepareStatement(sql);
        ResultSet rs = ps.executeQuery()) {
      List<StatusCount> out = new ArrayList<>();
      while (rs.next()) {
        out.add(
            new StatusCount(
                RouteId.of(rs.getString(1)),
                Layer.of(rs.getInt(2)),
                Status.valueOf(rs.getString(3)),
                rs.getLong(4)));
      }
      return out;
    }
  }

  long backlog(Connection c, RouteId route) throws SQLException {
    String sql =
        "SELECT COUNT(*) FROM "
            + tables.entry()
            + " WHERE route = ? AND status IN ('JUST_IN', 'RETRYING')";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, route.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  Optional<String> cursor(Connection c, RouteId route, String name) throws SQLException {
    String sql = "SELECT cursor_value FROM " + tables.cursor() + " WHERE route = ? AND name = ?";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, route.value());
      ps.setString(2, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
      }
    }
  }
}
