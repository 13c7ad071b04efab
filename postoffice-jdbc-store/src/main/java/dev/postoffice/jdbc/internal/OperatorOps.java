package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.model.Entry;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.EntryCursor;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.RoutePause;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The SQL of the operator methods: keyset search, route pauses and replay jobs. Each method runs on
 * the connection of a transaction its caller opened.
 */
final class OperatorOps {
  private static final String JOB_COLUMNS =
      "id, filter_key, requested_by, reason, state, total, replayed, skipped, cursor_value, owner,"
          + " lease_expires_at, detail, created_at, updated_at";

  private final Tables tables;
  private final StoreClock clock;

  OperatorOps(Tables tables, StoreClock clock) {
    this.tables = tables;
    this.clock = clock;
  }

  // ---- search ------------------------------------------------------------------------------

  /** A statement and its arguments. */
  record Query(String sql, List<Object> args) {}

  /** The search's statement: one page and one entry more, newest first, after the cursor. */
  Query searchQuery(EntrySearch s) {
    List<Object> args = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder("SELECT ")
            .append(Rows.META_COLUMNS)
            .append(" FROM ")
            .append(tables.entry())
            .append(" WHERE 1 = 1");
    where(s, sql, args);
    if (s.after() != null) {
      EntryCursor after = EntryCursor.decode(s.after());
      long at = Rows.nanos(after.createdAt());
      if (tables.dialect() == JdbcDialect.POSTGRESQL) {
        // A row comparison: PostgreSQL reads it as one range of the (route, created_at, id) index.
        sql.append(" AND (created_at, id) < (?, ?)");
        args.add(at);
        args.add(after.id().value());
      } else {
        sql.append(" AND (created_at < ? OR (created_at = ? AND id < ?))");
        args.add(at);
        args.add(at);
        args.add(after.id().value());
      }
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    args.add(s.limit() + 1); // one more than the page says whether another page follows
    return new Query(sql.toString(), args);
  }

  EntryPage search(Connection c, EntrySearch s) throws SQLException {
    Query q = searchQuery(s);
    List<Entry> found;
    try (PreparedStatement ps = c.prepareStatement(q.sql())) {
      bind(ps, q.args());
      found = Rows.entries(ps.executeQuery(), false);
    }
    if (found.size() <= s.limit()) {
      return EntryPage.of(found, null);
    }
    List<Entry> page = found.subList(0, s.limit());
    return EntryPage.of(page, EntryCursor.of(page.get(page.size() - 1)).encode());
  }

  long count(Connection c, EntrySearch s) throws SQLException {
    List<Object> args = new ArrayList<>();
    StringBuilder sql =
        new StringBuilder("SELECT COUNT(*) FROM ").append(tables.entry()).append(" WHERE 1 = 1");
    where(s, sql, args);
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static void where(EntrySearch s, StringBuilder sql, List<Object> args) {
    if (s.route() != null) {
      sql.append(" AND route = ?");
      args.add(s.route().value());
    }
    if (s.direction() != null) {
      sql.append(" AND direction = ?");
      args.add(s.direction().name());
    }
    if (s.layer() != null) {
      sql.append(" AND layer = ?");
      args.add(s.layer().number());
    }
    if (!s.statuses().isEmpty()) {
      sql.append(" AND status IN (").append(Tables.statusLiterals(s.statuses())).append(')');
    }
    if (s.createdFrom() != null) {
      sql.append(" AND created_at >= ?");
      args.add(Rows.nanos(s.createdFrom()));
    }
    if (s.createdTo() != null) {
      sql.append(" AND created_at < ?");
      args.add(Rows.nanos(s.createdTo()));
    }
    if (s.errorContains() != null) {
      sql.append(" AND LOWER(last_error) LIKE ? ESCAPE '!'");
      args.add("%" + likeEscaped(s.errorContains().toLowerCase(Locale.ROOT)) + "%");
    }
  }

  private static String likeEscaped(String text) {
    return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  static void bind(PreparedStatement ps, List<Object> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      ps.setObject(i + 1, args.get(i));
    }
  }

  // ---- pauses ------------------------------------------------------------------------------

  RoutePause pause(Connection c, RouteId route, String by, Instant now) throws SQLException {
    Optional<RoutePause> existing = pauseOf(c, route);
    if (existing.isPresent()) {
      return existing.get();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + tables.routePause()
                + " (route, paused_by, paused_at) VALUES (?, ?, ?)")) {
      ps.setString(1, route.value());
      ps.setString(2, by);
      ps.setLong(3, Rows.nanos(now));
      ps.executeUpdate();
    }
    return new RoutePause(route, by, now);
  }

  private Optional<RoutePause> pauseOf(Connection c, RouteId route) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT route, paused_by, paused_at FROM "
                + tables.routePause()
                + " WHERE route = ?")) {
      ps.setString(1, route.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(pause(rs)) : Optional.empty();
      }
    }
  }

  boolean resume(Connection c, RouteId route) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM " + tables.routePause() + " WHERE route = ?")) {
      ps.setString(1, route.value());
      return ps.executeUpdate() > 0;
    }
  }

  Map<RouteId, RoutePause> paused(Connection c) throws SQLException {
    try (PreparedStatement ps =
            c.prepareStatement("SELECT route, paused_by, paused_at FROM " + tables.routePause());
        ResultSet rs = ps.executeQuery()) {
      Map<RouteId, RoutePause> out = new LinkedHashMap<>();
      while (rs.next()) {
        RoutePause p = pause(rs);
        out.put(p.route(), p);
      }
      return out;
    }
  }

  private static RoutePause pause(ResultSet rs) throws SQLException {
    return new RoutePause(
        RouteId.of(rs.getString(1)), rs.getString(2), Rows.instant(rs.getLong(3)));
  }

  // ---- replay jobs -------------------------------------------------------------------------

  ReplayJob start(
      Connection c, EntrySearch filter, String by, String reason, String id, Instant now)
      throws SQLException {
    String encoded = SearchFilters.encode(filter);
    String key = SearchFilters.key(encoded);
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + JOB_COLUMNS + " FROM " + tables.replayJob() + " WHERE running_key = ?")) {
      ps.setString(1, key);
      List<ReplayJob> running = jobs(ps);
      if (!running.isEmpty()) {
        return running.get(0);
      }
    }
    long total = count(c, filter);
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + tables.replayJob()
                + " (id, filter_key, running_key, requested_by, reason, state, total, replayed,"
                + " skipped, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'RUNNING', ?, 0, 0, ?,"
                + " ?)")) {
      ps.setString(1, id);
      ps.setString(2, encoded);
      ps.setString(3, key);
      Rows.setString(ps, 4, by);
      Rows.setString(ps, 5, reason);
      ps.setLong(6, total);
      ps.setLong(7, Rows.nanos(now));
      ps.setLong(8, Rows.nanos(now));
      ps.executeUpdate();
    }
    return job(c, id).orElseThrow();
  }

  Optional<ReplayJob> job(Connection c, String id) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT " + JOB_COLUMNS + " FROM " + tables.replayJob() + " WHERE id = ?")) {
      ps.setString(1, id);
      return jobs(ps).stream().findFirst();
    }
  }

  List<ReplayJob> recent(Connection c, int limit) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + JOB_COLUMNS
                + " FROM "
                + tables.replayJob()
                + " ORDER BY created_at DESC, id DESC LIMIT ?")) {
      ps.setInt(1, limit);
      return jobs(ps);
    }
  }

  Optional<ReplayJob> claim(Connection c, String owner, Duration lease, Instant now)
      throws SQLException {
    String free =
        " state = 'RUNNING' AND (owner IS NULL OR lease_expires_at <= " + clock.time() + ")";
    List<String> candidates = new ArrayList<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id FROM "
                + tables.replayJob()
                + " WHERE"
                + free
                + " ORDER BY created_at, id LIMIT 5")) {
      ps.setLong(1, clock.now(now));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          candidates.add(rs.getString(1));
        }
      }
    }
    // The guarded UPDATE re-checks under the row's lock: of two nodes that read the same
    // candidate, one takes it and the other's update matches no row.
    for (String id : candidates) {
      try (PreparedStatement ps =
          c.prepareStatement(
              "UPDATE "
                  + tables.replayJob()
                  + " SET owner = ?, lease_expires_at = "
                  + clock.time()
                  + ", updated_at = ? WHERE id = ? AND"
                  + free)) {
        ps.setString(1, owner);
        ps.setLong(2, clock.after(lease, now));
        ps.setLong(3, Rows.nanos(now));
        ps.setString(4, id);
        ps.setLong(5, clock.now(now));
        if (ps.executeUpdate() == 1) {
          return job(c, id);
        }
      }
    }
    return Optional.empty();
  }

  Optional<ReplayJob> progress(
      Connection c,
      String id,
      String owner,
      String cursor,
      long replayed,
      long skipped,
      Duration lease,
      Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + tables.replayJob()
                + " SET cursor_value = ?, replayed = ?, skipped = ?, lease_expires_at = "
                + clock.time()
                + ", updated_at = ? WHERE id = ? AND state = 'RUNNING' AND owner = ?")) {
      Rows.setString(ps, 1, cursor);
      ps.setLong(2, replayed);
      ps.setLong(3, skipped);
      ps.setLong(4, clock.after(lease, now));
      ps.setLong(5, Rows.nanos(now));
      ps.setString(6, id);
      ps.setString(7, owner);
      return ps.executeUpdate() == 1 ? job(c, id) : Optional.empty();
    }
  }

  Optional<ReplayJob> cancel(Connection c, String id, String by, Instant now) throws SQLException {
    end(c, id, null, ReplayJob.State.CANCELLED, "cancelled by " + by, now);
    return job(c, id);
  }

  Optional<ReplayJob> finish(
      Connection c, String id, String owner, ReplayJob.State state, String detail, Instant now)
      throws SQLException {
    return end(c, id, owner, state, detail, now) ? job(c, id) : Optional.empty();
  }

  /** Ends a running job (held by owner, unless owner is null); false if none matched. */
  private boolean end(
      Connection c, String id, String owner, ReplayJob.State state, String detail, Instant now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "UPDATE "
                + tables.replayJob()
                + " SET state = ?, running_key = NULL, owner = NULL, lease_expires_at = NULL,"
                + " detail = ?, updated_at = ? WHERE id = ? AND state = 'RUNNING'"
                + (owner == null ? "" : " AND owner = ?"))) {
      ps.setString(1, state.name());
      Rows.setString(ps, 2, detail);
      ps.setLong(3, Rows.nanos(now));
      ps.setString(4, id);
      if (owner != null) {
        ps.setString(5, owner);
      }
      return ps.executeUpdate() == 1;
    }
  }

  private static List<ReplayJob> jobs(PreparedStatement ps) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      List<ReplayJob> out = new ArrayList<>();
      while (rs.next()) {
        long expires = rs.getLong("lease_expires_at");
        Instant leaseExpiresAt = rs.wasNull() ? null : Rows.instant(expires);
        out.add(
            new ReplayJob(
                rs.getString("id"),
                SearchFilters.decode(rs.getString("filter_key")),
                rs.getString("requested_by"),
                rs.getString("reason"),
                ReplayJob.State.valueOf(rs.getString("state")),
                rs.getLong("total"),
                rs.getLong("replayed"),
                rs.getLong("skipped"),
                rs.getString("cursor_value"),
                rs.getString("owner"),
                leaseExpiresAt,
                rs.getString("detail"),
                Rows.instant(rs.getLong("created_at")),
                Rows.instant(rs.getLong("updated_at"))));
      }
      return out;
    }
  }
}
