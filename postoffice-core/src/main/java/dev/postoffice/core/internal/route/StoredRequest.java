package dev.postoffice.core.internal.route;

import dev.postoffice.PartnerRequest;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.Codec;
import java.net.URI;
import java.util.Base64;
import java.util.Map;

/**
 * A {@link PartnerRequest} as stored in a layer-2 downstream entry: JSON with the body in Base64,
 * so any body type survives the store unchanged.
 *
 * @param method the method
 * @param uri the address
 * @param headers the headers
 * @param body the body in Base64, or null
 * @param contentType the body's content type, or null
 */
public record StoredRequest(
    String method, String uri, Map<String, String> headers, String body, String contentType) {

  /**
   * Encodes a request.
   *
   * @param request the request
   * @param codec the codec
   * @return the payload
   */
  public static Payload encode(PartnerRequest request, Codec codec) {
    Payload body = request.body();
    return codec.encode(
        new StoredRequest(
            request.method(),
            request.uri().toString(),
            request.headers(),
            body == null ? null : Base64.getEncoder().encodeToString(body.bytes()),
            body == null ? null : body.contentType()));
  }

  /**
   * Decodes a request.
   *
   * @param payload the stored payload
   * @param codec the codec
   * @return the request
   */
  public static PartnerRequest decode(Payload payload, Codec codec) {
    StoredRequest stored = codec.decode(payload, StoredRequest.class);
    Payload body =
        stored.body == null
            ? null
            : Payload.of(Base64.getDecoder().decode(stored.body), stored.contentType);
    return new PartnerRequest(stored.method, URI.create(stored.uri), stored.headers, body);
  }
}
