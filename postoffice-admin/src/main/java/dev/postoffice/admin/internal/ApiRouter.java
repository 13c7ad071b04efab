package dev.postoffice.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.postoffice.admin.AdminPrincipal;
import dev.postoffice.admin.AdminRequest;
import dev.postoffice.admin.AdminResponse;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends each API request to its endpoint, after the guard: every request authenticated, every
 * change checked. Paths are relative to {@code <prefix>/api}.
 */
public final class ApiRouter {
  private final Guard guard;
  private final ReadApi read;
  private final LookupApi lookup;
  private final WriteApi write;
  private final HealthApi health;

  /**
   * Creates the router.
   *
   * @param config the console's settings
   */
  public ApiRouter(AdminConfig config) {
    this.guard = new Guard(config);
    this.read = new ReadApi(config);
    this.lookup = new LookupApi(config);
    this.write = new WriteApi(config);
    this.health = new HealthApi(config);
  }

  /**
   * Answers an API request.
   *
   * @param request the request
   * @param path its path below {@code <prefix>/api}, such as {@code /entries/abc}
   * @return the answer
   * @throws ApiError for a refusal
   */
  public AdminResponse route(AdminRequest request, String path) {
    AdminPrincipal who = guard.authenticate(request);
    String[] parts = segments(path);
    String method = request.method();
    if (method.equals("GET") || method.equals("HEAD")) {
      Params q = Params.ofQuery(request.query());
      return get(parts, q, who);
    }
    if (!method.equals("POST")) {
      throw new ApiError(
          405, "method " + method + " is not allowed: use GET to read, POST to change", null);
    }
    guard.checkChange(request, who);
    Params body = body(request);
    JsonNode answer;
    if (parts.length == 3 && parts[0].equals("entries") && parts[2].equals("replay")) {
      answer = write.replay(parts[1], body, who);
    } else if (parts.length == 1 && parts[0].equals("replays")) {
      return Answers.json(202, write.startBulk(body, who));
    } else if (parts.length == 3 && parts[0].equals("replays") && parts[2].equals("cancel")) {
      answer = write.cancel(parts[1], who);
    } else if (parts.length == 3 && parts[0].equals("routes") && parts[2].equals("pause")) {
      answer = write.pause(parts[1], true, who);
    } else if (parts.length == 3 && parts[0].equals("routes") && parts[2].equals("resume")) {
      answer = write.pause(parts[1], false, who);
    } else {
      throw notFound(path);
    }
    return Answers.json(200, answer);
  }

  private AdminResponse get(String[] parts, Params q, AdminPrincipal who) {
    String first = parts.length == 0 ? "" : parts[0];
    if (first.equals("health") && parts.length == 1) {
      return health.health();
    }
    JsonNode answer;
    if (first.equals("me") && parts.length == 1) {
      answer = read.me(who);
    } else if (first.equals("routes") && parts.length == 1) {
      answer = read.routes();
    } else if (first.equals("entries") && parts.length == 1) {
      answer = read.entries(q);
    } else if (first.equals("entries") && parts.length == 2 && parts[1].equals("count")) {
      answer = read.count(q);
    } else if (first.equals("entries") && parts.length == 2) {
      answer = read.entry(parts[1]);
    } else if (first.equals("entries") && parts.length == 3 && parts[2].equals("payload")) {
      answer = read.payload(parts[1]);
    } else if (first.equals("lookup") && parts.length == 1) {
      answer = lookup.lookup(q);
    } else if (first.equals("traces") && parts.length == 2) {
      answer = read.trace(parts[1]);
    } else if (first.equals("replays") && parts.length == 1) {
      answer = write.jobs();
    } else if (first.equals("replays") && parts.length == 2) {
      answer = write.job(parts[1]);
    } else {
      throw notFound("/" + String.join("/", parts));
    }
    return Answers.json(200, answer);
  }

  private static ApiError notFound(String path) {
    return new ApiError(404, "no such endpoint: " + path, null);
  }

  private static String[] segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    if (trimmed.isEmpty()) {
      return new String[0];
    }
    String[] parts = trimmed.split("/", -1);
    for (int i = 0; i < parts.length; i++) {
      try {
        parts[i] = URLDecoder.decode(parts[i], StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new ApiError(400, "the path has a malformed %-escape in '" + parts[i] + "'", null);
      }
    }
    return parts;
  }

  /** Reads a change's body: a JSON object whose fields become parameters (arrays joined by ","). */
  private static Params body(AdminRequest request) {
    if (request.body().length == 0) {
      throw new ApiError(400, "the body must be a JSON object, such as {\"reason\":\"...\"}", null);
    }
    JsonNode tree;
    try {
      tree = Answers.MAPPER.readTree(request.body());
    } catch (IOException e) {
      String why = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new ApiError(400, "the body is not valid JSON: " + why, null);
    }
    if (tree == null || !tree.isObject()) {
      throw new ApiError(400, "the body must be a JSON object, such as {\"reason\":\"...\"}", null);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> f : tree.properties()) {
      JsonNode v = f.getValue();
      if (v.isArray()) {
        StringBuilder joined = new StringBuilder();
        v.forEach(x -> joined.append(joined.length() == 0 ? "" : ",").append(x.asText()));
        fields.put(f.getKey(), joined.toString());
      } else if (!v.isNull()) {
        fields.put(f.getKey(), v.asText());
      }
    }
    return Params.of(fields);
  }
}
