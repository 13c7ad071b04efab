package dev.postoffice;

import dev.postoffice.model.Payload;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * A request to a partner's API, as built by a {@link RequestNormalizer} and sent by a {@link
 * Dispatcher}. Dispatchers that are not HTTP use the fields as they see fit (the method as an
 * operation name, say).
 *
 * @param method the HTTP method or operation, such as {@code POST}
 * @param uri where to send it
 * @param headers request headers; never null. Do not put credentials here: they would be stored.
 *     Use the dispatcher's auth provider.
 * @param body the body, or null for none
 */
public record PartnerRequest(String method, URI uri, Map<String, String> headers, Payload body) {
  /**
   * Checks the arguments and copies the headers.
   *
   * @throws NullPointerException if method or uri is null
   */
  public PartnerRequest {
    Objects.requireNonNull(method, "method cannot be null");
    Objects.requireNonNull(uri, "uri cannot be null");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /**
   * Returns a POST request.
   *
   * @param uri where to send it
   * @param body the body
   * @return the request
   */
  public static PartnerRequest post(URI uri, Payload body) {
    return new PartnerRequest("POST", uri, Map.of(), body);
  }
}
