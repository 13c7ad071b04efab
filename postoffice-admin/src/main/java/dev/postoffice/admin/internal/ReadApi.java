package dev.postoffice.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.admin.AdminPrincipal;
import dev.postoffice.core.operator.Lineage;
import dev.postoffice.core.operator.RouteSummary;
import dev.postoffice.core.operator.TraceView;
import dev.postoffice.core.operator.TracedEntry;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntrySearch;
import java.util.List;
import java.util.Map;

/** The API's reading endpoints: routes, entries, lookups, one entry, traces. */
public final class ReadApi {
  /**
   * The most entries of a trace, or of an entry's descendants, an answer lists (the counts say how
   * many there are): one partner file can fan out to thousands of messages.
   */
  public static final int MAX_LISTED = 500;

  private final AdminConfig config;

  /**
   * Creates the endpoints.
   *
   * @param config the console's settings
   */
  public ReadApi(AdminConfig config) {
    this.config = config;
  }

  /**
   * {@code GET /api/me}: who is asking, so the page can offer only what they may do.
   *
   * @param who the principal
   * @return {@code {"name":..., "role":...}}
   */
  public JsonNode me(AdminPrincipal who) {
    ObjectNode n = Answers.MAPPER.createObjectNode();
    n.put("name", who.name());
    n.put("role", who.role().name());
    return n;
  }

  /**
   * {@code GET /api/routes}: every route with counts per layer and status, its backlog, its oldest
   * waiting entry's age and its pause.
   *
   * @return {@code {"routes":[...]}}
   */
  public JsonNode routes() {
    ObjectNode body = Answers.MAPPER.createObjectNode();
    ArrayNode routes = body.putArray("routes");
    for (RouteSummary s : config.operations().routeSummaries()) {
      routes.add(route(s));
    }
    return body;
  }

  static ObjectNode route(RouteSummary s) {
    ObjectNode r = Answers.MAPPER.createObjectNode();
    r.put("route", s.route().value());
    r.put("paused", s.paused());
    s.pause()
        .ifPresent(
            p -> {
              r.put("pausedBy", p.pausedBy());
              r.put("pausedAt", EntryJson.time(p.pausedAt()));
            });
    long backlog = 0;
    ObjectNode layers = r.putObject("layers");
    ObjectNode totals = r.putObject("totals");
    for (Layer layer : Layer.values()) {
      Map<Status, Long> byStatus = s.counts().get(layer);
      if (byStatus == null) {
        continue;
      }
      ObjectNode l = layers.putObject(layer.name());
      for (Status status : Status.values()) {
        Long c = byStatus.get(status);
        if (c != null && c > 0) {
          l.put(status.name(), c);
          totals.put(status.name(), totals.path(status.name()).asLong() + c);
          backlog += status.isTerminal() ? 0 : c;
        }
      }
    }
    r.put("backlog", backlog);
    r.put("needsOperator", s.count(Status.FAILED) + s.count(Status.REJECTED));
    if (s.oldestWaitingAge().isPresent()) {
      r.put("oldestWaitingSeconds", s.oldestWaitingAge().get().toMillis() / 1000.0);
    } else {
      r.putNull("oldestWaitingSeconds");
    }
    return r;
  }

  /**
   * {@code GET /api/entries}: one page of entries, newest first.
   *
   * @param p the filter, {@code limit} and {@code cursor}
   * @return {@code {"entries":[...], "next": cursor or null, "filter": {...}}}
   */
  public JsonNode entries(Params p) {
    EntrySearch search =
        Filters.search(p, p.integer("limit", 1, EntrySearch.MAX_LIMIT, EntrySearch.DEFAULT_LIMIT));
    EntryPage page;
    try {
      page = config.operations().search(search);
    } catch (IllegalArgumentException e) {
      // The store reads the cursor; everything else was checked above.
      throw ApiError.badParameter(
          "cursor", "must be the 'next' value of a previous page", search.after());
    }
    ObjectNode body = Answers.MAPPER.createObjectNode();
    body.set("entries", EntryJson.entries(page.entries()));
    body.put("next", page.next().orElse(null));
    body.set("filter", Filters.json(search));
    return body;
  }

  /**
   * {@code GET /api/entries/count}: how many entries a filter selects, as a bulk replay would.
   *
   * @param p the filter
   * @return {@code {"count": n, "filter": {...}}}
   */
  public JsonNode count(Params p) {
    EntrySearch filter = Filters.search(p, EntrySearch.DEFAULT_LIMIT);
    ObjectNode body = Answers.MAPPER.createObjectNode();
    body.put("count", config.operations().count(filter));
    body.set("filter", Filters.json(filter));
    return body;
  }

  /**
   * {@code GET /api/entries/{id}}: an entry with its payload and history, its lineage both ways
   * (its sources with their payloads, so the layers can be compared side by side) and its trace.
   *
   * @param id the entry's id
   * @return the entry's page
   */
  public JsonNode entry(String id) {
    Lineage lineage = config.operations().lineage(entryId(id));
    TraceView trace = config.operations().trace(lineage.entry().traceId());
    ObjectNode body = Answers.MAPPER.createObjectNode();
    body.set("entry", EntryJson.entry(lineage.entry()));
    body.set("payload", payload(lineage.entry()));
    body.set("history", EntryJson.history(historyOf(trace, lineage.entry().id())));
    ArrayNode ancestors = body.putArray("ancestors");
    for (Entry a : lineage.ancestors()) {
      ObjectNode n = ancestors.addObject();
      n.set("entry", EntryJson.entry(a));
      n.set("payload", payload(a));
    }
    List<Entry> descendants = lineage.descendants();
    body.set(
        "descendants",
        EntryJson.entries(descendants.subList(0, Math.min(MAX_LISTED, descendants.size()))));
    body.put("descendantCount", descendants.size());
    body.set("trace", trace(trace));
    body.put("traceSize", trace.entries().size());
    return body;
  }

  /**
   * {@code GET /api/entries/{id}/payload}: an entry's payload alone, for the trace's other layers.
   *
   * @param id the entry's id
   * @return the payload view
   */
  public JsonNode payload(String id) {
    return payload(config.operations().lineage(entryId(id)).entry());
  }

  /**
   * {@code GET /api/traces/{traceId}}: every entry of a trace with its history.
   *
   * @param traceId the trace's id
   * @return {@code {"traceId":..., "entries":[{"entry":..., "history":[...]}]}}
   */
  public JsonNode trace(String traceId) {
    TraceId id;
    try {
      id = TraceId.of(traceId);
    } catch (IllegalArgumentException e) {
      throw ApiError.badParameter("traceId", "must be a trace id (32 hex digits)", traceId);
    }
    TraceView trace = config.operations().trace(id);
    if (trace.entries().isEmpty()) {
      throw ApiError.notFound("trace " + traceId);
    }
    ObjectNode body = Answers.MAPPER.createObjectNode();
    body.put("traceId", traceId);
    body.put("size", trace.entries().size());
    body.set("entries", trace(trace));
    return body;
  }

  private static ArrayNode trace(TraceView trace) {
    ArrayNode a = Answers.MAPPER.createArrayNode();
    for (TracedEntry t : trace.entries().subList(0, Math.min(MAX_LISTED, trace.entries().size()))) {
      ObjectNode n = a.addObject();
      n.set("entry", EntryJson.entry(t.entry()));
      n.set("history", EntryJson.history(t.history()));
    }
    return a;
  }

  private static List<dev.postoffice.model.HistoryRecord> historyOf(TraceView trace, EntryId id) {
    return trace.entries().stream()
        .filter(t -> t.entry().id().equals(id))
        .findFirst()
        .map(TracedEntry::history)
        .orElse(List.of());
  }

  private JsonNode payload(Entry e) {
    return PayloadJson.of(e, config.redactor(), config.maxPayloadBytes());
  }

  static EntryId entryId(String id) {
    try {
      return EntryId.of(id);
    } catch (IllegalArgumentException e) {
      throw ApiError.badParameter("id", "must be an entry id", id);
    }
  }
}
