package dev.postoffice;

/**
 * Layer 2 downstream: turns a partner model into a request that complies with the partner's API
 * signature (method, address, headers, body), for the route's {@link Dispatcher}.
 *
 * <pre>{@code
 * RequestNormalizer<AcmeShipment> toRequest = shipment ->
 *     PartnerRequest.post(URI.create("https://acme.example/shipments"), codec.encode(shipment));
 * }</pre>
 *
 * @param <P> the partner's typed model
 */
@FunctionalInterface
public interface RequestNormalizer<P> {
  /**
   * Builds the request for one partner model.
   *
   * @param model the partner model
   * @return the request; never null
   * @throws RejectedInputException if the model cannot be expressed in the partner's API
   */
  PartnerRequest toRequest(P model);
}
