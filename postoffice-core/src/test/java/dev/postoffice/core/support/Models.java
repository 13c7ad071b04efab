package dev.postoffice.core.support;

import dev.postoffice.RejectedInputException;
import java.util.List;

/** The partner and core models the engine tests move around. */
public final class Models {
  private Models() {}

  /** A partner's order (upstream L2 model). */
  public record AcmeOrder(String orderId, String customer, List<Line> lines) {}

  /** An order line. */
  public record Line(String sku, int quantity) {}

  /** The core's message for one order line (upstream L3 model): a fan-out of 1..n per order. */
  public record LineOrdered(String orderId, String sku, int quantity) {}

  /** A core command to ship (downstream L4 model). */
  public record ShipOrder(String orderId, String address) {}

  /** The partner's shipment request (downstream L3 model). */
  public record AcmeShipment(String reference, String deliverTo) {}

  /** Validates a partner order the way a real normalizer would. */
  public static AcmeOrder validated(AcmeOrder order) {
    if (order.orderId() == null || order.orderId().isBlank()) {
      throw new RejectedInputException("orderId is required, but was " + order.orderId());
    }
    if (order.lines() == null) {
      throw new RejectedInputException("lines is required for order " + order.orderId());
    }
    return order;
  }

  /** A raw order as a partner sends it. */
  public static String orderJson(String id, int lines) {
    StringBuilder json =
        new StringBuilder("{\"orderId\":\"" + id + "\",\"customer\":\"c-1\",\"lines\":[");
    for (int i = 0; i < lines; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"sku\":\"sku-")
          .append(i)
          .append("\",\"quantity\":")
          .append(i + 1)
          .append('}');
    }
    return json.append("]}").toString();
  }
}
