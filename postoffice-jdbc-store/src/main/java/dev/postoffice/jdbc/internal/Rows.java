package dev.postoffice.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Converts between rows and the model: times, headers, entries, history. */
public final class Rows {
  /** Entry columns without the payload, for listings. */
  public static final String META_COLUMNS =
      "id, route, direction, layer, status, content_type, headers,"
          + " source_id, trace_id, dedup_key, attempts, next_attempt_at, last_error, generation, produced_by,"
          + " lease_owner, lease_expires_at, created_at, updated_at";

  /** Entry columns with the payload. */
  public static final String ALL_COLUMNS = META_COLUMNS + ", payload";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, String>> HEADERS = new TypeReference<>() {};
  private static final long NANOS = 1_000_000_000L;

  private Rows() {}

  /**
   * Converts a time to epoch nanoseconds, saturating outside the years 1677 to 2262.
   *
   * @param t the time
   * @return the nanoseconds
   */
  public static long nanos(Instant t) {
    try {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), NANOS), t.getNano());
    } catch (ArithmeticException e) {
      return t.getEpochSecond() < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  /**
   * Converts epoch nanoseconds to a time.
   *
   * @param nanos the nanoseconds
   * @return the time
   */
  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS));
  }

  static Instant instantOrNull(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : instant(v);
  }

  static void setNanos(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(index, Types.BIGINT);
    } else {
      ps.setLong(index, nanos(t));
    }
  }

  static void setString(PreparedStatement ps, int index, String s) throws SQLException {
    if (s == null) {
      ps.setNull(index, Types.VARCHAR);
    } else {
      ps.setString(index, s);
    }
  }

  static String headersJson(Map<String, String> headers) {
    if (headers.isEmpty()) {
      return null;
    }
    try {
      return JSON.writeValueAsString(headers);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode headers", e);
    }
  }

  static Map<String, String> headers(String json) throws SQLException {
    if (json == null || json.isEmpty()) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, HEADERS);
    } catch (JsonProcessingException e) {
      throw new SQLException("cannot decode the headers column: " + e.getMessage(), e);
    }
  }

  /**
   * Reads the entry at the current row.
   *
   * @param rs the result set, selecting {@link #META_COLUMNS} and, if {@code withPayload}, the
   *     payload
   * @param withPayload whether the payload column was selected
   * @return the entry
   * @throws SQLException on a read error
   */
  public static Entry entry(ResultSet rs, boolean withPayload) throws SQLException {
    Payload payload = null;
    if (withPayload) {
      byte[] bytes = rs.getBytes("payload");
      payload =
          bytes == null
              ? null
              : Payload.wrap(bytes, rs.getString("content_type")); // getBytes: a fresh array
    }
    String owner = rs.getString("lease_owner");
    Instant expires = instantOrNull(rs, "lease_expires_at");
    String source = rs.getString("source_id");
    return new Entry(
        EntryId.of(rs.getString("id")),
        RouteId.of(rs.getString("route")),
        Direction.valueOf(rs.getString("direction")),
        Layer.of(rs.getInt("layer")),
        Status.valueOf(rs.getString("status")),
        payload,
        headers(rs.getString("headers")),
        source == null ? null : EntryId.of(source),
        TraceId.of(rs.getString("trace_id")),
        rs.getString("dedup_key"),
        rs.getInt("attempts"),
        instantOrNull(rs, "next_attempt_at"),
        rs.getString("last_error"),
        rs.getInt("generation"),
        rs.getString("produced_by"),
        owner == null || expires == null ? null : new Lease(owner, expires),
        instant(rs.getLong("created_at")),
        instant(rs.getLong("updated_at")));
  }

  /**
   * Reads every entry of a result set and closes it.
   *
   * @param rs the result set
   * @param withPayload whether the payload column was selected
   * @return the entries
   * @throws SQLException on a read error
   */
  public static List<Entry> entries(ResultSet rs, boolean withPayload) throws SQLException {
    try (rs) {
      List<Entry> out = new ArrayList<>();
      while (rs.next()) {
        out.add(entry(rs, withPayload));
      }
      return out;
    }
  }

  static HistoryRecord history(ResultSet rs) throws SQLException {
    String from = rs.getString("from_status");
    return new HistoryRecord(
        EntryId.of(rs.getString("entry_id")),
        from == null ? null : Status.valueOf(from),
        Status.valueOf(rs.getString("to_status")),
        instant(rs.getLong("changed_at")),
        rs.getString("detail"));
  }
}
