package dev.postoffice.examples;

import dev.postoffice.Normalizer;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.examples.model.AcmeOrder;
import dev.postoffice.examples.model.AcmeOrderLine;
import dev.postoffice.spi.Codec;
import java.util.Objects;

/**
 * Layer 2 of {@code acme-orders}: parses Acme's raw JSON into an {@link AcmeOrder} and checks it
 * against Acme's API signature. Bad JSON and missing or invalid fields are rejected with a reason
 * that names the field, so an operator can tell Acme what to fix. Thread-safe.
 */
public final class AcmeOrderNormalizer implements Normalizer<AcmeOrder> {
  private final Codec codec;

  /**
   * Creates the normalizer.
   *
   * @param codec the codec that parses Acme's JSON (it rejects malformed JSON itself)
   */
  public AcmeOrderNormalizer(Codec codec) {
    this.codec = Objects.requireNonNull(codec, "codec cannot be null");
  }

  // tag::normalizer[]
  @Override
  public AcmeOrder normalize(RawMessage raw) {
    AcmeOrder order = codec.decode(raw.payload(), AcmeOrder.class);
    require(order.orderId(), "orderId");
    require(order.customer(), "customer");
    if (order.lines() == null || order.lines().isEmpty()) {
      throw new RejectedInputException(
          "lines must hold at least 1 line, but order "
              + order.orderId()
              + " has "
              + (order.lines() == null ? "none" : "0"));
    }
    for (int i = 0; i < order.lines().size(); i++) {
      AcmeOrderLine line = order.lines().get(i);
      if (line == null) {
        throw new RejectedInputException("lines[" + i + "] cannot be null");
      }
      require(line.sku(), "lines[" + i + "].sku");
      if (line.quantity() < 1) {
        throw new RejectedInputException(
            "lines[" + i + "].quantity must be >= 1, but was " + line.quantity());
      }
    }
    return order;
  }

  // end::normalizer[]

  private static void require(String value, String field) {
    if (value == null || value.isBlank()) {
      throw new RejectedInputException(
          field + " is required, but was " + (value == null ? "missing" : "blank"));
    }
  }
}
