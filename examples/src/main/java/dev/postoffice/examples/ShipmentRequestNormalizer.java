package dev.postoffice.examples;

import dev.postoffice.PartnerRequest;
import dev.postoffice.RequestNormalizer;
import dev.postoffice.examples.model.AcmeShipment;
import dev.postoffice.spi.Codec;
import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * Layer 2 of {@code shipments-to-acme}: turns an {@link AcmeShipment} into the request Acme's API
 * expects. No credentials here: requests are stored, so authentication belongs to the dispatcher.
 * Thread-safe.
 */
public final class ShipmentRequestNormalizer implements RequestNormalizer<AcmeShipment> {
  /** Where Acme takes shipment notices. */
  public static final URI SHIPMENTS_URI = URI.create("https://api.acme.example/v3/shipments");

  private final Codec codec;

  /**
   * Creates the normalizer.
   *
   * @param codec the codec that writes Acme's JSON
   */
  public ShipmentRequestNormalizer(Codec codec) {
    this.codec = Objects.requireNonNull(codec, "codec cannot be null");
  }

  // tag::requestNormalizer[]
  @Override
  public PartnerRequest toRequest(AcmeShipment shipment) {
    return new PartnerRequest(
        "POST", SHIPMENTS_URI, Map.of("X-Acme-Api-Version", "3"), codec.encode(shipment));
  }
  // end::requestNormalizer[]
}
