package dev.postoffice.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntrySearch;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;

/**
 * A replay job's filter as stored: canonical JSON (fixed key order, statuses sorted, times in epoch
 * nanoseconds), so that equal filters have equal text, and the text's SHA-256 for the unique index
 * that keeps one running job per filter.
 */
final class SearchFilters {
  private static final ObjectMapper JSON = new ObjectMapper();

  private SearchFilters() {}

  /** The canonical text of a filter (its cursor and page size left out). */
  static String encode(EntrySearch f) {
    ObjectNode o = JSON.createObjectNode();
    if (f.route() != null) {
      o.put("route", f.route().value());
    }
    if (f.direction() != null) {
      o.put("direction", f.direction().name());
    }
    if (f.layer() != null) {
      o.put("layer", f.layer().number());
    }
    if (!f.statuses().isEmpty()) {
      ArrayNode statuses = o.putArray("statuses");
      EnumSet.copyOf(f.statuses()).forEach(s -> statuses.add(s.name()));
    }
    if (f.createdFrom() != null) {
      o.put("createdFrom", Rows.nanos(f.createdFrom()));
    }
    if (f.createdTo() != null) {
      o.put("createdTo", Rows.nanos(f.createdTo()));
    }
    if (f.errorContains() != null) {
      o.put("errorContains", f.errorContains());
    }
    try {
      return JSON.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a replay filter", e);
    }
  }

  /** Reads a filter written by {@link #encode}. */
  static EntrySearch decode(String text) {
    JsonNode o;
    try {
      o = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable replay filter in the store: " + text, e);
    }
    Set<Status> statuses = EnumSet.noneOf(Status.class);
    if (o.has("statuses")) {
      o.get("statuses").forEach(s -> statuses.add(Status.valueOf(s.asText())));
    }
    return EntrySearch.builder()
        .route(o.has("route") ? RouteId.of(o.get("route").asText()) : null)
        .direction(o.has("direction") ? Direction.valueOf(o.get("direction").asText()) : null)
        .layer(o.has("layer") ? Layer.of(o.get("layer").asInt()) : null)
        .statuses(statuses)
        .createdFrom(o.has("createdFrom") ? Rows.instant(o.get("createdFrom").asLong()) : null)
        .createdTo(o.has("createdTo") ? Rows.instant(o.get("createdTo").asLong()) : null)
        .errorContains(o.has("errorContains") ? o.get("errorContains").asText() : null)
        .build();
  }

  /** The SHA-256 of a filter's text, in hex: short enough for a unique index on any database. */
  static String key(String encoded) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(encoded.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
