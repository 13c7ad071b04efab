package dev.postoffice.core.intake.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.postoffice.core.intake.WebhookResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** Builds the JSON answers of the webhook handler. */
public final class WebhookAnswers {
  private WebhookAnswers() {}

  /**
   * Returns a JSON answer.
   *
   * @param status the status
   * @param body the fields
   * @param headers extra headers
   * @return the response
   */
  public static WebhookResponse json(
      int status, Map<String, Object> body, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    try {
      return new WebhookResponse(status, all, DedupKeys.JSON.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a map of strings as JSON", e);
    }
  }

  /**
   * Returns an error answer: {@code {"status": 413, "error": "..."}}.
   *
   * @param status the status
   * @param reason what is wrong, without body or secrets
   * @param headers extra headers
   * @return the response
   */
  public static WebhookResponse error(int status, String reason, Map<String, String> headers) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("error", reason);
    return json(status, body, headers);
  }
}
