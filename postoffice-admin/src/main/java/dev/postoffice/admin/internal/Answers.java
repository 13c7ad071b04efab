package dev.postoffice.admin.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.admin.AdminResponse;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the handler's answers: JSON with the headers every answer carries (no caching, no
 * sniffing, no framing, a strict content security policy).
 */
public final class Answers {
  /** The one mapper of the module: thread-safe once configured. */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The policy of every answer: the console loads only its own files and talks only to its own API,
   * and no other site may frame it.
   */
  public static final String CONTENT_SECURITY_POLICY =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

  private Answers() {}

  /**
   * Returns the headers every answer carries.
   *
   * @param contentType the body's type
   * @return a mutable map to add to
   */
  public static Map<String, String> headers(String contentType) {
    Map<String, String> h = new HashMap<>();
    h.put("Content-Type", contentType);
    h.put("Cache-Control", "no-store");
    h.put("X-Content-Type-Options", "nosniff");
    h.put("X-Frame-Options", "DENY");
    h.put("Referrer-Policy", "no-referrer");
    h.put("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    return h;
  }

  /**
   * Returns a JSON answer.
   *
   * @param status the HTTP status
   * @param body the body
   * @return the answer
   */
  public static AdminResponse json(int status, JsonNode body) {
    try {
      return new AdminResponse(
          status, headers("application/json; charset=utf-8"), MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  /**
   * Returns an error answer: {@code {"status":400,"error":"...","parameter":"layer"}}.
   *
   * @param error the refusal
   * @return the answer
   */
  public static AdminResponse error(ApiError error) {
    ObjectNode body = MAPPER.createObjectNode();
    body.put("status", error.status());
    body.put("error", error.getMessage());
    if (error.parameter() != null) {
      body.put("parameter", error.parameter());
    }
    AdminResponse r = json(error.status(), body);
    if (error.status() == 401) {
      Map<String, String> h = new HashMap<>(r.headers());
      h.put("WWW-Authenticate", "Bearer realm=\"postoffice\"");
      return new AdminResponse(401, h, r.body());
    }
    return r;
  }
}
