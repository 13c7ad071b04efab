package dev.postoffice.core.intake;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link WebhookHandler} answers: a status, headers and a small JSON body for the web
 * framework to send.
 *
 * @param status the HTTP status, such as 202
 * @param headers the response headers (such as {@code Retry-After}); never null
 * @param body the JSON body; never null
 */
public record WebhookResponse(int status, Map<String, String> headers, String body) {
  /** The header carrying the stored entry's id on a 2xx answer. */
  public static final String ENTRY_ID_HEADER = "PostOffice-Entry-Id";

  /**
   * Checks the arguments and copies the headers.
   *
   * @throws NullPointerException if body is null
   */
  public WebhookResponse {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    Objects.requireNonNull(body, "body cannot be null");
  }

  /**
   * Tells whether the partner should consider the delivery done.
   *
   * @return true for a 2xx status
   */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /**
   * Returns the body as UTF-8 bytes.
   *
   * @return the bytes
   */
  public byte[] bodyBytes() {
    return body.getBytes(StandardCharsets.UTF_8);
  }
}
