package dev.postoffice.admin.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.admin.AdminResponse;
import dev.postoffice.admin.HealthCheck;
import dev.postoffice.core.operator.RouteSummary;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/health}: is the store reachable (it answers the routes' summaries), are the
 * host's checks (the broker, typically) passing, and each route's backlog and oldest waiting age.
 * Answers 200 when all are up, 503 otherwise, so a probe can read the status alone.
 */
public final class HealthApi {
  private static final Logger log = LoggerFactory.getLogger(HealthApi.class);

  private final AdminConfig config;

  /**
   * Creates the endpoint.
   *
   * @param config the console's settings
   */
  public HealthApi(AdminConfig config) {
    this.config = config;
  }

  /**
   * Runs the checks.
   *
   * @return the answer
   */
  public AdminResponse health() {
    ObjectNode body = Answers.MAPPER.createObjectNode();
    ObjectNode checks = body.putObject("checks");
    boolean up = true;
    List<RouteSummary> routes = List.of();
    try {
      routes = config.operations().routeSummaries();
      checks.putObject("store").put("up", true);
    } catch (RuntimeException e) {
      up = false;
      checks.putObject("store").put("up", false).put("error", describe(e));
    }
    for (Map.Entry<String, HealthCheck> c : new TreeMap<>(config.healthChecks()).entrySet()) {
      ObjectNode n = checks.putObject(c.getKey());
      try {
        boolean ok = c.getValue().reachable();
        n.put("up", ok);
        up &= ok;
      } catch (Exception e) {
        n.put("up", false).put("error", describe(e));
        up = false;
      }
    }
    ArrayNode list = body.putArray("routes");
    for (RouteSummary s : routes) {
      ObjectNode r = ReadApi.route(s);
      ObjectNode brief = list.addObject();
      brief.put("route", s.route().value());
      brief.put("paused", s.paused());
      brief.set("backlog", r.get("backlog"));
      brief.set("oldestWaitingSeconds", r.get("oldestWaitingSeconds"));
    }
    body.put("status", up ? "UP" : "DOWN");
    return Answers.json(up ? 200 : 503, body);
  }

  /** The exception's kind and message only: a stack trace could carry connection details. */
  /**
   * What the answer says of a failed check: the exception's type only. Its message can hold a
   * connection string with a password (a JDBC URL, a broker URI), and the answer goes to every
   * viewer; the message goes to the log.
   */
  private static String describe(Exception e) {
    log.warn("health check failed: {}", e.toString());
    return e.getClass().getSimpleName() + " (details in the server's log)";
  }
}
