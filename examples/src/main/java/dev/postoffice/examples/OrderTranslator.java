package dev.postoffice.examples;

import dev.postoffice.Translator;
import dev.postoffice.examples.model.AcmeOrder;
import dev.postoffice.examples.model.AcmeOrderLine;
import dev.postoffice.examples.model.OrderLinePlaced;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer 3 of {@code acme-orders}: maps one Acme order to one {@link OrderLinePlaced} per line (a
 * fan-out). It maps, it does not interpret: no lookups, no defaults beyond what the fields say.
 * Thread-safe.
 */
public final class OrderTranslator implements Translator<AcmeOrder, OrderLinePlaced> {
  /** The partner name the core sees on every event from this route. */
  public static final String PARTNER = "acme";

  /** The version recorded on every output; raise it when the mapping changes. */
  public static final String VERSION = "2";

  // tag::translator[]
  @Override
  public List<OrderLinePlaced> translate(AcmeOrder order) {
    List<OrderLinePlaced> lines = new ArrayList<>(order.lines().size());
    for (int i = 0; i < order.lines().size(); i++) {
      AcmeOrderLine line = order.lines().get(i);
      lines.add(new OrderLinePlaced(PARTNER, order.orderId(), i + 1, line.sku(), line.quantity()));
    }
    return lines;
  }
  // end::translator[]
}
