package dev.postoffice.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.core.operator.TracedEntry;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.TraceId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code GET /api/lookup}: finds entries by the ids people hold for a message. */
public final class LookupApi {
  private final AdminConfig config;

  /**
   * Creates the endpoint.
   *
   * @param config the console's settings
   */
  public LookupApi(AdminConfig config) {
    this.config = config;
  }

  /**
   * {@code GET /api/lookup}: finds entries by an id someone holds: {@code deliveryId} (the
   * partner's, the dedup key), {@code messageId} (the Core App's: an L4 entry id upstream, the
   * dedup key downstream), {@code entryId}, {@code traceId}, or {@code q} for any of them.
   *
   * @param p exactly one of the parameters above
   * @return {@code {"matches":[{"matchedBy":..., "entry":{...}}]}}
   */
  public JsonNode lookup(Params p) {
    List<String> given = new ArrayList<>();
    for (String name : List.of("q", "deliveryId", "messageId", "entryId", "traceId")) {
      p.text(name).ifPresent(v -> given.add(name));
    }
    if (given.size() != 1) {
      throw new ApiError(
          400,
          "give exactly one of the parameters q, deliveryId, messageId, entryId, traceId, but "
              + (given.isEmpty() ? "none was given" : "got " + given),
          given.isEmpty() ? "q" : given.get(1));
    }
    String kind = given.get(0);
    String value = p.required(kind);
    Map<String, ObjectNode> found = new LinkedHashMap<>();
    if (kind.equals("q") || kind.equals("entryId") || kind.equals("messageId")) {
      byEntryId(value).ifPresent(e -> add(found, "entryId", e));
    }
    if (kind.equals("q") || kind.equals("deliveryId") || kind.equals("messageId")) {
      config.operations().findByDeliveryId(value).forEach(e -> add(found, "deliveryId", e));
    }
    if (kind.equals("q") || kind.equals("traceId")) {
      byTraceId(value).forEach(t -> add(found, "traceId", t.entry()));
    }
    ObjectNode body = Answers.MAPPER.createObjectNode();
    body.putArray("matches").addAll(found.values());
    return body;
  }

  private static void add(Map<String, ObjectNode> found, String matchedBy, Entry e) {
    ObjectNode m = Answers.MAPPER.createObjectNode();
    m.put("matchedBy", matchedBy);
    m.set("entry", EntryJson.entry(e));
    found.putIfAbsent(e.id().toString(), m);
  }

  private Optional<Entry> byEntryId(String value) {
    try {
      return Optional.of(config.operations().lineage(EntryId.of(value)).entry());
    } catch (NoSuchEntryException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private List<TracedEntry> byTraceId(String value) {
    try {
      return config.operations().trace(TraceId.of(value)).entries();
    } catch (IllegalArgumentException e) {
      return List.of(); // not a trace id's form
    }
  }
}
