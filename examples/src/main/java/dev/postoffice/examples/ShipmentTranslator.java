package dev.postoffice.examples;

import dev.postoffice.Translator;
import dev.postoffice.examples.model.AcmeShipment;
import dev.postoffice.examples.model.ShipOrder;
import java.util.List;

/**
 * Layer 3 of {@code shipments-to-acme}: maps the core's {@link ShipOrder} to Acme's {@link
 * AcmeShipment}. Thread-safe.
 */
public final class ShipmentTranslator implements Translator<ShipOrder, AcmeShipment> {
  /** The version recorded on every output. */
  public static final String VERSION = "1";

  @Override
  public List<AcmeShipment> translate(ShipOrder command) {
    return List.of(
        new AcmeShipment(
            "SHP-" + command.shipmentId(),
            command.partnerOrderId(),
            command.street() + ", " + command.city(),
            command.parcels()));
  }
}
