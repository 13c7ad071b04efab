package dev.postoffice.jdbc;

import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * An upstream route as hosts write one (partner order JSON, normalized, translated to one core
 * message per line, published to the Core App), shared by the engine-level multi-node test and the
 * pipeline benchmark.
 */
final class UpstreamFlow {
  static final String ROUTE = "acme-orders";
  static final String QUEUE = "core.orders";

  private static final JacksonCodec CODEC = JacksonCodec.create();

  private UpstreamFlow() {}

  /** A partner's order (layer 2). */
  record Order(String orderId, String customer, String note, List<Line> lines) {}

  /** An order line. */
  record Line(String sku, int quantity) {}

  /** The core's message for one order line (layer 3 and 4). */
  record LineOrdered(String orderId, String sku, int quantity) {}

  /**
   * Builds the route; {@code normalized} and {@code translated} see each input on the worker
   * thread, so a test can record which node worked which entry (the engine puts the entry id in the
   * MDC).
   */
  static Route route(
      RouteSettings settings, Consumer<Order> normalized, Consumer<Order> translated) {
    return Route.upstream(ROUTE)
        .normalize(
            Order.class,
            raw -> {
              Order order = CODEC.decode(raw.payload(), Order.class);
              if (order.orderId() == null || order.lines() == null) {
                throw new RejectedInputException("orderId and lines are required");
              }
              normalized.accept(order);
              return order;
            })
        .translate(
            LineOrdered.class,
            order -> {
              translated.accept(order);
              List<LineOrdered> out = new ArrayList<>(order.lines().size());
              for (Line l : order.lines()) {
                out.add(new LineOrdered(order.orderId(), l.sku(), l.quantity()));
              }
              return out;
            })
        .publishTo(QUEUE)
        .settings(settings)
        .build();
  }

  /** A partner order of about {@code size} bytes of JSON with {@code lines} lines. */
  static String orderJson(String id, int lines, int size) {
    StringBuilder json =
        new StringBuilder("{\"orderId\":\"")
            .append(id)
            .append("\",\"customer\":\"customer-0042\",\"lines\":[");
    for (int i = 0; i < lines; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"sku\":\"sku-")
          .append(i)
          .append("\",\"quantity\":")
          .append(i + 1)
          .append('}');
    }
    json.append("],\"note\":\"");
    while (json.length() < size - 2) {
      json.append('x');
    }
    return json.append("\"}").toString();
  }
}
