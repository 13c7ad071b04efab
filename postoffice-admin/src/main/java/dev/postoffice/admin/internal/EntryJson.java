package dev.postoffice.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Entries and their histories as JSON for the API. Header values whose names suggest a credential
 * (signatures, tokens, keys, cookies) are masked: the API never answers with secrets.
 */
public final class EntryJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Header names whose values are masked. */
  private static final Pattern SECRET_HEADER =
      Pattern.compile(
          "(?i).*(authorization|signature|secret|token|password|cookie|api[-_]?key|hmac).*");

  /** What a masked header value reads. */
  public static final String MASKED = "***";

  private EntryJson() {}

  /**
   * Returns an entry's fields, without payload.
   *
   * @param e the entry
   * @return the JSON object
   */
  public static ObjectNode entry(Entry e) {
    ObjectNode n = NODES.objectNode();
    n.put("id", e.id().toString());
    n.put("route", e.route().value());
    n.put("direction", e.direction().name());
    n.put("layer", e.layer().name());
    n.put("status", e.status().name());
    n.put("statusName", e.status().displayName());
    n.put("terminal", e.status().isTerminal());
    n.put("sourceId", e.sourceId() == null ? null : e.sourceId().toString());
    n.put("traceId", e.traceId().toString());
    n.put("dedupKey", e.dedupKey());
    n.put("attempts", e.attempts());
    n.put("nextAttemptAt", time(e.nextAttemptAt()));
    n.put("lastError", e.lastError());
    n.put("generation", e.generation());
    n.put("producedBy", e.producedBy());
    n.put("createdAt", time(e.createdAt()));
    n.put("updatedAt", time(e.updatedAt()));
    n.put("claimed", e.lease() != null);
    ObjectNode headers = n.putObject("headers");
    for (Map.Entry<String, String> h : e.headers().entrySet()) {
      headers.put(h.getKey(), SECRET_HEADER.matcher(h.getKey()).matches() ? MASKED : h.getValue());
    }
    return n;
  }

  /**
   * Returns entries as an array.
   *
   * @param entries the entries
   * @return the JSON array
   */
  public static ArrayNode entries(List<Entry> entries) {
    ArrayNode a = NODES.arrayNode();
    entries.forEach(e -> a.add(entry(e)));
    return a;
  }

  /**
   * Returns a history, oldest first.
   *
   * @param history the records
   * @return the JSON array
   */
  public static ArrayNode history(List<HistoryRecord> history) {
    ArrayNode a = NODES.arrayNode();
    for (HistoryRecord h : history) {
      ObjectNode n = a.addObject();
      n.put("from", h.from() == null ? null : h.from().name());
      n.put("to", h.to().name());
      n.put("toName", h.to().displayName());
      n.put("at", time(h.at()));
      n.put("detail", h.detail());
    }
    return a;
  }

  /**
   * Returns an instant as ISO-8601 text.
   *
   * @param at the instant, or null
   * @return the text, or null
   */
  public static String time(Instant at) {
    return at == null ? null : at.toString();
  }

  /**
   * Tells whether a header name is masked, for tests of the rule.
   *
   * @param name the header's name
   * @return true if its value is never shown
   */
  public static boolean masked(String name) {
    return SECRET_HEADER.matcher(name.toLowerCase(Locale.ROOT)).matches();
  }
}
