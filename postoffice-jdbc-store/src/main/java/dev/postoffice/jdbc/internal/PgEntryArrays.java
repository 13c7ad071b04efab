package dev.postoffice.jdbc.internal;

import dev.postoffice.jdbc.internal.EntryWriter.NewRow;
import dev.postoffice.model.Status;
import dev.postoffice.spi.NewEntry;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;

/**
 * PostgreSQL: new entry rows as one set of column arrays, so any number of rows is one statement
 * with a fixed text ({@code unnest}), prepared once by the server, instead of one statement per row
 * or a text that changes with the batch size; and a lone row as plain values ({@link #values},
 * {@link #bindOne}), which is what a synchronous submitter's intake usually is.
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
      boolean leased = leased(row);
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
      attempts[i] = attempts(row);
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

  /**
   * The {@code VALUES} row of one new entry, in {@link #COLUMNS} order; its parameters are as
   * {@link #bindOne} sets them. The same values as a row of {@link #rows}.
   *
   * @param clock the store's clock: the lease's expiry is a delay or a time for it
   */
  static String values(StoreClock clock) {
    return "(?, ?, ?, ?::SMALLINT, ?, ?, ?::BYTEA, ?, ?, ?, ?, ?, ?::INTEGER, NULL, NULL, 0, ?, ?,"
        + " ?::BIGINT + "
        + clock.base()
        + ", ?::BIGINT, ?::BIGINT, ?, ?)";
  }

  /**
   * Binds one row's {@link #values}, from parameter {@code first} on: plain values, where {@link
   * #bind} would encode 18 one-element arrays (6.7% of the JVM's samples in the RabbitMQ scenario,
   * with two synchronous submitters).
   *
   * @return the next parameter index
   */
  static int bindOne(PreparedStatement ps, int first, NewRow row, StoreClock clock, Instant now)
      throws SQLException {
    NewEntry e = row.entry();
    boolean leased = leased(row);
    int p = first;
    ps.setString(p++, e.id().value());
    ps.setString(p++, e.route().value());
    ps.setString(p++, e.direction().name());
    ps.setShort(p++, (short) e.layer().number());
    ps.setString(p++, row.status().name());
    ps.setString(p++, e.payload().contentType());
    ps.setBytes(p++, e.payload().bytes());
    ps.setString(p++, Rows.headersJson(e.headers()));
    ps.setString(p++, e.sourceId() == null ? null : e.sourceId().value());
    ps.setString(p++, e.traceId().value());
    ps.setString(p++, e.dedupKey());
    ps.setString(p++, row.duplicateOf());
    ps.setInt(p++, attempts(row));
    ps.setString(p++, e.producedBy());
    ps.setString(p++, leased ? e.lease().owner() : null);
    ps.setObject(p++, leased ? clock.at(e.lease().expiresAt(), now) : null, Types.BIGINT);
    ps.setLong(p++, Rows.nanos(now));
    ps.setLong(p++, Rows.nanos(now));
    ps.setString(p++, row.status().name());
    ps.setString(p++, row.bornDetail());
    return p;
  }

  /** Whether the row is stored leased: a new entry Just In that its creator works on itself. */
  private static boolean leased(NewRow row) {
    return row.entry().lease() != null && row.status() == Status.JUST_IN;
  }

  /** The attempts a new row starts with: 1 if leased or stored finished by its creator, else 0. */
  private static int attempts(NewRow row) {
    NewEntry e = row.entry();
    return leased(row) || e.finishedAs() != null && row.status() == e.finishedAs() ? 1 : 0;
  }
}
