package dev.postoffice.testkit.junit;

import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Route;
import java.util.ArrayList;
import java.util.List;

/** A small upstream route for the extension's tests: an order becomes one core message per line. */
final class Shop {
  static final String ORDERS = "shop-orders";
  static final String QUEUE = "core.shop-orders";

  record Order(String id, int lines) {}

  record Line(String orderId, int number) {}

  private Shop() {}

  static Route orders() {
    JacksonCodec codec = JacksonCodec.create();
    return Route.upstream(ORDERS)
        .normalize(
            Order.class,
            raw -> {
              Order order = codec.decode(raw.payload(), Order.class);
              if (order.id() == null) {
                throw new RejectedInputException("id is required, but was missing");
              }
              return order;
            })
        .translate(
            Line.class,
            (Order order) -> {
              List<Line> lines = new ArrayList<>();
              for (int i = 1; i <= order.lines(); i++) {
                lines.add(new Line(order.id(), i));
              }
              return lines;
            })
        .publishTo(QUEUE)
        .build();
  }

  static String order(String id, int lines) {
    return "{\"id\":\"" + id + "\",\"lines\":" + lines + "}";
  }
}
