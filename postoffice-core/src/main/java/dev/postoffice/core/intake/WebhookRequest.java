package dev.postoffice.core.intake;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An incoming webhook call as any web framework sees it, for {@link
 * WebhookHandler#handle(WebhookRequest)}. The body is a stream so that an oversized one can be
 * refused without reading it all.
 *
 * @param method the HTTP method, such as {@code POST}
 * @param path the request path without the query string, such as {@code /webhooks/acme-orders}
 * @param headers the request headers; looked up without regard to case
 * @param body the request body; the handler reads at most the route's limit plus one byte and never
 *     closes it
 * @param contentLength the declared {@code Content-Length}, or -1 if unknown (chunked)
 */
public record WebhookRequest(
    String method,
    String path,
    Map<String, List<String>> headers,
    InputStream body,
    long contentLength) {
  /**
   * Checks the arguments and copies the headers into a case-insensitive map.
   *
   * @throws NullPointerException if method, path or body is null
   */
  public WebhookRequest {
    Objects.requireNonNull(method, "method cannot be null");
    Objects.requireNonNull(path, "path cannot be null");
    Objects.requireNonNull(body, "body cannot be null");
    TreeMap<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      headers.forEach(
          (name, values) -> {
            if (name != null && values != null) {
              copy.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
            }
          });
    }
    copy.replaceAll((name, values) -> List.copyOf(values));
    headers = Collections.unmodifiableMap(copy);
  }

  /**
   * Returns a request whose headers have one value each.
   *
   * @param method the HTTP method
   * @param path the request path
   * @param headers the headers
   * @param body the body
   * @param contentLength the declared length, or -1 if unknown
   * @return the request
   */
  public static WebhookRequest of(
      String method,
      String path,
      Map<String, String> headers,
      InputStream body,
      long contentLength) {
    Map<String, List<String>> multi = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      headers.forEach((name, value) -> multi.put(name, List.of(value)));
    }
    return new WebhookRequest(method, path, multi, body, contentLength);
  }

  /**
   * Returns the first value of a header.
   *
   * @param name the header's name, in any case
   * @return its first value, if present
   */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(values.get(0));
  }

  @Override
  public String toString() {
    // No headers: they may carry signatures or credentials.
    return "WebhookRequest[" + method + " " + path + ", contentLength=" + contentLength + "]";
  }
}
