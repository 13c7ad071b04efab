package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Lease;
import dev.postoffice.spi.ClaimRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Claims due entries with {@code FOR UPDATE SKIP LOCKED}: concurrent claimers skip rows another
 * transaction is claiming, and rows whose lease holds are not due. PostgreSQL does it in one
 * statement; the others select then update, each update guarded by the attempt count it read.
 */
final class ClaimOps {
  private static final Comparator<Due> OLDEST_FIRST =
      Comparator.comparing((Due d) -> d.entry().createdAt()).thenComparingLong(Due::seq);

  /** A due entry and its insertion number, which breaks ties between entries created at once. */
  private record Due(Entry entry, long seq) {}

  private final Tables tables;
  private final StoreClock clock;
  private final String due;

  ClaimOps(Tables tables, StoreClock clock) {
    this.tables = tables;
    this.clock = clock;
    // Every time here is on the store's clock (StoreClock): with the database's, a node whose clock
    // is ahead
    // does not see a lease expire early, nor a retry come due early.
    this.due =
        " FROM "
            + tables.entry()
            + " WHERE route = ? AND layer = ?"
            + " AND (lease_expires_at IS NULL OR lease_expires_at <= "
            + clock.time()
            + ")";
  }

  List<Entry> claim(Connection c, ClaimRequest r) throws SQLException {
    return tables.dialect() == JdbcDialect.POSTGRESQL
        ? claimReturning(c, r)
        : claimSelectUpdate(c, r);
  }

  private List<Entry> claimReturning(Connection c, ClaimRequest r) throws SQLException {
    // PostgreSQL: "id = ANY(ARRAY(subquery))" keeps the update on the primary key; "id IN
    // (subquery)" is
    // planned as a hash semi-join over the whole table.
    String sql =
        "UPDATE "
            + tables.entry()
            + " SET lease_owner = ?, lease_expires_at = "
            + clock.time()
            + ","
            + " attempts = attempts + 1, updated_at = ? WHERE id = ANY(ARRAY(SELECT id"
            + due
            + " AND status IN ('JUST_IN', 'RETRYING') AND (status = 'JUST_IN' OR next_attempt_at <= "
            + clock.time()
            + ") ORDER BY created_at, seq LIMIT ? FOR UPDATE SKIP LOCKED)) RETURNING seq, "
            + Rows.ALL_COLUMNS;
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, r.owner());
      ps.setLong(2, clock.after(r.leaseDuration(), r.now()));
      ps.setLong(3, Rows.nanos(r.now()));
      bindDue(ps, 4, r);
      ps.setLong(7, clock.now(r.now()));
      ps.setInt(8, r.limit());
      List<Due> claimed = read(ps);
      claimed.sort(OLDEST_FIRST);
      return claimed.stream().map(Due::entry).toList();
    }
  }

  private List<Entry> claimSelectUpdate(Connection c, ClaimRequest r) throws SQLException {
    // Without SKIP LOCKED (H2) the select takes no locks: the update below is a compare-and-set on
    // the attempts
    // it read, so a claimer that loses a race to another one simply gets fewer entries.
    // One query per status, so each one walks the (route, layer, status, created_at) index in order
    // and
    // locks at most `limit` rows instead of sorting (and locking) the whole backlog.
    List<Due> candidates = new ArrayList<>(selectDue(c, r, "JUST_IN"));
    candidates.addAll(selectDue(c, r, "RETRYING"));
    candidates.sort(OLDEST_FIRST);
    List<Entry> picked =
        candidates.subList(0, Math.min(r.limit(), candidates.size())).stream()
            .map(Due::entry)
            .toList();
    List<Entry> claimed = new ArrayList<>(picked.size());
    if (picked.isEmpty()) {
      return claimed;
    }
    // The store's time, read once: the guard and the new leases below use it, and the claimed
    // entries show it.
    long storeNow = storeNow(c, r);
    Instant expires = Rows.instant(storeNow).plus(r.leaseDuration());
    String sql =
        "UPDATE "
            + tables.entry()
            + " SET lease_owner = ?, lease_expires_at = ?,"
            + " attempts = attempts + 1, updated_at = ? WHERE id = ? AND attempts = ?"
            + " AND status IN ('JUST_IN', 'RETRYING') AND (lease_expires_at IS NULL OR lease_expires_at <= ?)";
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Entry e : picked) {
        ps.setString(1, r.owner());
        ps.setLong(2, Rows.nanos(expires));
        ps.setLong(3, Rows.nanos(r.now()));
        ps.setString(4, e.id().value());
        ps.setInt(5, e.attempts());
        ps.setLong(6, storeNow);
        ps.addBatch();
      }
      int[] counts = ps.executeBatch();
      for (int i = 0; i < picked.size(); i++) {
        if (Batches.applied(counts, i)) {
          Entry e = picked.get(i);
          claimed.add(
              e.toBuilder()
                  .attempts(e.attempts() + 1)
                  .lease(new Lease(r.owner(), expires))
                  .updatedAt(r.now())
                  .build());
        }
      }
    }
    return claimed;
  }

  private long storeNow(Connection c, ClaimRequest r) throws SQLException {
    if (!clock.database()) {
      return Rows.nanos(r.now());
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT " + clock.time())) {
      ps.setLong(1, clock.now(r.now()));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private List<Due> selectDue(Connection c, ClaimRequest r, String status) throws SQLException {
    boolean retrying = "RETRYING".equals(status);
    String sql =
        "SELECT seq, "
            + Rows.ALL_COLUMNS
            + due
            + " AND status = ?"
            + (retrying ? " AND next_attempt_at <= " + clock.time() : "")
            + " ORDER BY created_at, seq LIMIT ?"
            + (tables.dialect().skipLocked() ? " FOR UPDATE SKIP LOCKED" : "");
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bindDue(ps, 1, r);
      ps.setString(4, status);
      int next = 5;
      if (retrying) {
        ps.setLong(next++, clock.now(r.now()));
      }
      ps.setInt(next, r.limit());
      return read(ps);
    }
  }

  private static List<Due> read(PreparedStatement ps) throws SQLException {
    List<Due> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        out.add(new Due(Rows.entry(rs, true), rs.getLong("seq")));
      }
    }
    return out;
  }

  private void bindDue(PreparedStatement ps, int first, ClaimRequest r) throws SQLException {
    ps.setString(first, r.route().value());
    ps.setInt(first + 1, r.layer().number());
    ps.setLong(first + 2, clock.now(r.now()));
  }
}
