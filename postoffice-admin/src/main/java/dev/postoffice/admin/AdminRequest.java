package dev.postoffice.admin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A console request as any web framework sees it, for {@link AdminHandler#handle(AdminRequest)}.
 * The body is read whole by the binding (the API's bodies are small JSON objects; {@link
 * AdminHandler#MAX_BODY_BYTES} at most).
 *
 * @param method the HTTP method, such as {@code GET}
 * @param path the request path without the query string, such as {@code /postoffice/api/entries},
 *     not decoded
 * @param query the raw query string without {@code ?}, or null
 * @param headers the request headers; looked up without regard to case
 * @param body the request body; empty for none
 */
public record AdminRequest(
    String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
  /**
   * Checks the arguments and copies the headers into a case-insensitive map.
   *
   * @throws NullPointerException if method or path is null
   */
  public AdminRequest {
    Objects.requireNonNull(method, "method cannot be null");
    Objects.requireNonNull(path, "path cannot be null");
    body = body == null ? new byte[0] : body;
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
   * Returns a request whose headers have one value each, for tests and simple adapters.
   *
   * @param method the HTTP method
   * @param pathAndQuery the path, with the query string after {@code ?} if any
   * @param headers the headers
   * @param body the body, or null
   * @return the request
   */
  public static AdminRequest of(
      String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
    Map<String, List<String>> multi = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    if (headers != null) {
      headers.forEach((name, value) -> multi.put(name, List.of(value)));
    }
    int q = pathAndQuery.indexOf('?');
    return q < 0
        ? new AdminRequest(method, pathAndQuery, null, multi, body)
        : new AdminRequest(
            method, pathAndQuery.substring(0, q), pathAndQuery.substring(q + 1), multi, body);
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
  public boolean equals(Object o) {
    return this == o;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }

  @Override
  public String toString() {
    // No headers: they carry the credentials.
    return "AdminRequest[" + method + " " + path + "]";
  }
}
