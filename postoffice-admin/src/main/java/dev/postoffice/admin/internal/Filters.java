package dev.postoffice.admin.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntrySearch;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads an entry filter from parameters ({@code route, direction, layer, status, from, to, error})
 * and writes one back, the same names in both, so a listing's filter can be sent as a bulk replay.
 */
public final class Filters {
  private Filters() {}

  /**
   * Reads a search from parameters.
   *
   * @param p the parameters; {@code status} may list several, comma-separated
   * @param limit the page size
   * @return the search for the first page ({@code cursor} sets another)
   * @throws ApiError 400 naming the first bad parameter
   */
  public static EntrySearch search(Params p, int limit) {
    Instant from = p.instant("from").orElse(null);
    Instant to = p.instant("to").orElse(null);
    if (from != null && to != null && !from.isBefore(to)) {
      throw ApiError.badParameter("to", "must be after from (" + from + ")", to.toString());
    }
    return EntrySearch.builder()
        .route(route(p))
        .direction(p.enumValue("direction", Direction.class).orElse(null))
        .layer(p.enumValue("layer", Layer.class).orElse(null))
        .statuses(statuses(p))
        .createdFrom(from)
        .createdTo(to)
        .errorContains(p.text("error").orElse(null))
        .after(p.text("cursor").orElse(null))
        .limit(limit)
        .build();
  }

  private static RouteId route(Params p) {
    return p.text("route")
        .map(
            r -> {
              try {
                return RouteId.of(r);
              } catch (IllegalArgumentException e) {
                throw ApiError.badParameter("route", "must be a route name", r);
              }
            })
        .orElse(null);
  }

  private static Set<Status> statuses(Params p) {
    Set<Status> statuses = EnumSet.noneOf(Status.class);
    for (String s : p.text("status").map(v -> v.split(",")).orElse(new String[0])) {
      if (!s.isBlank()) {
        statuses.add(Params.of(Map.of("status", s)).enumValue("status", Status.class).get());
      }
    }
    return statuses;
  }

  /**
   * Writes a filter as JSON with the parameter names it is read with.
   *
   * @param s the search
   * @return the JSON object; unset criteria left out
   */
  public static ObjectNode json(EntrySearch s) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (s.route() != null) {
      n.put("route", s.route().value());
    }
    if (s.direction() != null) {
      n.put("direction", s.direction().name());
    }
    if (s.layer() != null) {
      n.put("layer", s.layer().name());
    }
    if (!s.statuses().isEmpty()) {
      n.put(
          "status",
          s.statuses().stream().sorted().map(Enum::name).collect(Collectors.joining(",")));
    }
    if (s.createdFrom() != null) {
      n.put("from", s.createdFrom().toString());
    }
    if (s.createdTo() != null) {
      n.put("to", s.createdTo().toString());
    }
    if (s.errorContains() != null) {
      n.put("error", s.errorContains());
    }
    return n;
  }
}
