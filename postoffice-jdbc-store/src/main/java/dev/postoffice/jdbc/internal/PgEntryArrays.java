package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.internal.EntryWriter.NewRow;
import dev.postoffice.model.Status;
import dev.postoffice.spi.NewEntry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * PostgreSQL: new entry rows as one set of column arrays, so any number of rows is one statement
 * with a fixed text ({@code unnest}), prepared once by the server, instead of one statement per row
 * or a text that changes with the batch size.
 */
final class PgEntryArrays {
  private PgEntryArrays() {}

  /** The entry columns that {@link #rows()} yields, in insert order. */
  static final String COLUMNS =
      "id, route, direction, layer, status, content_type, payload, headers,"
          + " source_id, trace_id, dedup_key, duplicate_of, attempts, next_attempt_at, last_error, generation,"
          + " produced_by, lease_owner, lease_expires_at, created_at, updated_at, born_status, born_detail";

  /**
   * The {@code SELECT} that yields the rows to insert: {@link #COLUMNS}, plus {@code parent} (the
   * completion the row belongs to; null at intake) and {@code ord} (its position). Its parameters
   * are {@code now} twice, then the arrays, as {@link #bind} sets them.
   *
   * @param clock the store's clock: the leases' expiry array holds delays or times for it
   */
  static String rows(StoreClock clock) {
    return "SELECT r.id, r.route, r.direction, r.layer, r.status, r.content_type, r.payload, r.headers,"
        + " r.source_id, r.trace_id, r.dedup_key, r.duplicate_of, r.attempts, NULL::BIGINT AS next_attempt_at,"
        + " NULL::TEXT AS last_error, 0 AS generation, r.produced_by, r.lease_owner, r.lease_expires_at + "
        + clock.base()
        + " AS lease_expires_at,"
        + " ?::BIGINT AS created_at, ?::BIGINT AS updated_at, r.status AS born_status, r.born_detail,"
        + " r.parent, r.ord"
        + " FROM unnest(?::VARCHAR[], ?::VARCHAR[], ?::VARCHAR[], ?::SMALLINT[], ?::VARCHAR[], ?::VARCHAR[],"
        + " ?::BYTEA[], ?::TEXT[], ?::VARCHAR[], ?::VARCHAR[], ?::VARCHAR[], ?::VARCHAR[], ?::INTEGER[],"
        + " ?::VARCHAR[], ?::VARCHAR[], ?::BIGINT[], ?::TEXT[], ?::VARCHAR[]) WITH ORDINALITY AS r(id, route,"
        + " direction, layer, status, content_type, payload, headers, source_id, trace_id, dedup_key,"
        + " duplicate_of, attempts, produced_by, lease_owner, lease_expires_at, born_detail, parent, ord)";
  }

  /**
   * Binds {@code now} twice and then the arrays, from parameter {@code first} on. Each array is
   * bound as a plain Java array ({@code setObject}), which the driver encodes in binary directly:
   * {@code Connection.createArrayOf} made an array object per column and looked its type up by
   * name, 18 times per statement (about 10% of the JVM's samples in the PostgreSQL scenario).
   *
   * @param parents the completion each row belongs to, or null (all null)
   * @param clock the store's clock
   * @param now the caller's now
   * @return the next parameter index
   */
  static int bind(
      PreparedStatement ps,
      int first,
      List<NewRow> rows,
      List<String> parents,
      StoreClock clock,
      Instant now)
      throws SQLException {
    int n = rows.size();
    String[] id = new String[n];
    String[] route = new String[n];
    String[] direction = new String[n];
    Short[] layer = new Short[n];
    String[] status = new String[n];
    String[] contentType = new String[n];
    byte[][] payload = new byte[n][];
    String[] headers = new String[n];
    String[] source = new String[n];
    String[] trace = new String[n];
    String[] dedup = new String[n];
    String[] duplicateOf = new String[n];
    Integer[] attempts = new Integer[n];
    String[] producedBy = new String[n];
    String[] owner = new String[n];
    Long[] expires = new Long[n];
    String[] bornDetail = new String[n];
    String[] parent = new String[n];
    for (int i = 0; i < n; i++) {
      NewRow row = rows.get(i);
      NewEntry e = row.entry();
      boolean leased = e.lease() != null && row.status() == Status.JUST_IN;
      id[i] = e.id().value();
      route[i] = e.route().value();
      direction[i] = e.direction().name();
      layer[i] = (short) e.layer().number();
      status[i] = row.status().name();
      contentType[i] = e.payload().contentType();
      payload[i] = e.payload().bytes();
      headers[i] = Rows.headersJson(e.headers());
      source[i] = e.sourceId() == null ? null : e.sourceId().value();
      trace[i] = e.traceId().value();
      dedup[i] = e.dedupKey();
      duplicateOf[i] = row.duplicateOf();
      attempts[i] = leased || e.finishedAs() != null && row.status() == e.finishedAs() ? 1 : 0;
      producedBy[i] = e.producedBy();
      owner[i] = leased ? e.lease().owner() : null;
      expires[i] = leased ? clock.at(e.lease().expiresAt(), now) : null;
      bornDetail[i] = row.bornDetail();
      parent[i] = parents == null ? null : parents.get(i);
    }
    int p = first;
    ps.setLong(p++, Rows.nanos(now));
    ps.setLong(p++, Rows.nanos(now));
    ps.setObject(p++, id);
    ps.setObject(p++, route);
    ps.setObject(p++, direction);
    ps.setObject(p++, layer);
    ps.setObject(p++, status);
    ps.setObject(p++, contentType);
    ps.setObject(p++, payload);
    ps.setObject(p++, headers);
    ps.setObject(p++, source);
    ps.setObject(p++, trace);
    ps.setObject(p++, dedup);
    ps.setObject(p++, duplicateOf);
    ps.setObject(p++, attempts);
    ps.setObject(p++, producedBy);
    ps.setObject(p++, owner);
    ps.setObject(p++, expires);
    ps.setObject(p++, bornDetail);
    ps.setObject(p++, parent);
    return p;
  }
}
