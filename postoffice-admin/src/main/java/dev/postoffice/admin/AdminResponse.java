package dev.postoffice.admin;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link AdminHandler} answers: a status, headers (among them {@code Content-Type}) and a body
 * for the web framework to send.
 *
 * @param status the HTTP status, such as 200
 * @param headers the response headers; never null
 * @param body the body; empty for none
 */
public record AdminResponse(int status, Map<String, String> headers, byte[] body) {
  /**
   * Checks the arguments and copies the headers.
   *
   * @throws NullPointerException if body is null
   */
  public AdminResponse {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
    Objects.requireNonNull(body, "body cannot be null");
  }

  /**
   * Returns the body as text, for tests and logs.
   *
   * @return the body decoded as UTF-8
   */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    return "AdminResponse[" + status + ", " + body.length + " bytes]";
  }
}
