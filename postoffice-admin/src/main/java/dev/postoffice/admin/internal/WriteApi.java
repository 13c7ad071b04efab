package dev.postoffice.admin.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.admin.AdminPrincipal;
import dev.postoffice.model.Entry;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.EntrySearch;
import java.util.Optional;

/**
 * The API's changing endpoints (operator role, JSON POST, same origin) and the job listings. Each
 * change records who made it: the authenticated principal's name goes into the history.
 */
public final class WriteApi {
  /** The most jobs {@code GET /api/replays} lists. */
  static final int MAX_JOBS = 100;

  private final AdminConfig config;

  /**
   * Creates the endpoints.
   *
   * @param config the console's settings
   */
  public WriteApi(AdminConfig config) {
    this.config = config;
  }

  /**
   * {@code POST /api/entries/{id}/replay} with {@code {"reason": "..."}}.
   *
   * @param id the entry's id
   * @param body the request's fields
   * @param who who asks
   * @return {@code {"entry": {...}}}, the entry now {@code JUST_IN}
   */
  public JsonNode replay(String id, Params body, AdminPrincipal who) {
    String reason = body.required("reason");
    Entry replayed;
    try {
      replayed = config.operations().replay(ReadApi.entryId(id), reason, who.name());
    } catch (IllegalStatusTransitionException e) {
      throw new ApiError(409, "entry " + id + " cannot be replayed now: " + e.getMessage(), null);
    }
    ObjectNode n = Answers.MAPPER.createObjectNode();
    n.set("entry", EntryJson.entry(replayed));
    return n;
  }

  /**
   * {@code POST /api/replays} with {@code {"route": ..., "status": ..., ..., "reason": ...}}:
   * starts a bulk replay of what the filter selects, or returns the job already running for it. A
   * route and a status are required, so that no one replays a whole store by accident; {@code
   * expectedCount}, when given, must not be below the entries matched now (the page showed a count
   * and the person confirmed it).
   *
   * @param body the filter and reason
   * @param who who asks
   * @return the job
   */
  public JsonNode startBulk(Params body, AdminPrincipal who) {
    body.required("route");
    body.required("status");
    String reason = body.required("reason");
    EntrySearch filter = Filters.search(body, EntrySearch.DEFAULT_LIMIT);
    if (filter.after() != null) {
      throw ApiError.badParameter("cursor", "must not be given for a bulk replay", filter.after());
    }
    Optional<String> expected = body.text("expectedCount");
    if (expected.isPresent()) {
      long confirmed = body.integer("expectedCount", 0, Integer.MAX_VALUE, 0);
      long now = config.operations().count(filter);
      if (now > confirmed) {
        throw new ApiError(
            409,
            "the filter now selects "
                + now
                + " entries, more than the "
                + confirmed
                + " confirmed; check and confirm again",
            "expectedCount");
      }
    }
    return JobJson.job(config.operations().startBulkReplay(filter, reason, who.name()));
  }

  /**
   * {@code GET /api/replays}: the latest jobs, newest first.
   *
   * @return {@code {"jobs": [...]}}
   */
  public JsonNode jobs() {
    ObjectNode n = Answers.MAPPER.createObjectNode();
    n.set("jobs", JobJson.jobs(config.operations().replayJobs(MAX_JOBS)));
    return n;
  }

  /**
   * {@code GET /api/replays/{id}}: a job's progress.
   *
   * @param id the job's id
   * @return the job
   */
  public JsonNode job(String id) {
    return JobJson.job(
        config.operations().replayJob(id).orElseThrow(() -> ApiError.notFound("replay job " + id)));
  }

  /**
   * {@code POST /api/replays/{id}/cancel}.
   *
   * @param id the job's id
   * @param who who cancels
   * @return the job as it is now
   */
  public JsonNode cancel(String id, AdminPrincipal who) {
    return JobJson.job(
        config
            .operations()
            .cancelReplayJob(id, who.name())
            .orElseThrow(() -> ApiError.notFound("replay job " + id)));
  }

  /**
   * {@code POST /api/routes/{route}/pause} or {@code /resume}.
   *
   * @param route the route's name
   * @param pause true to pause, false to resume
   * @param who who asks
   * @return the route's summary
   */
  public JsonNode pause(String route, boolean pause, AdminPrincipal who) {
    RouteId id;
    try {
      id = RouteId.of(route);
    } catch (IllegalArgumentException e) {
      throw ApiError.badParameter("route", "must be a route name", route);
    }
    if (pause) {
      config.operations().pause(id.value(), who.name());
    } else {
      config.operations().resume(id.value(), who.name());
    }
    return ReadApi.route(config.operations().routeSummary(id.value()));
  }
}
