package dev.postoffice.examples;

import dev.postoffice.RawMessage;
import dev.postoffice.examples.model.ShipOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Made-up traffic for the example: Acme's orders as raw JSON (with a few malformed ones and a few
 * deliveries sent twice, as real partners do), and the core's ship commands.
 */
public final class AcmeTraffic {
  /**
   * Malformed deliveries mixed into every batch of orders: each is rejected with its own reason.
   */
  public static final List<String> MALFORMED =
      List.of(
          "{\"orderId\": \"A-broken\", \"customer\": \"C-1\", \"lines\": [",
          "Internal Server Error",
          "{\"customer\": \"C-7\", \"lines\": [{\"sku\": \"SKU-1\", \"quantity\": 1}]}",
          "{\"orderId\": \"A-empty\", \"customer\": \"C-8\", \"lines\": []}",
          "{\"orderId\": \"A-zero\", \"customer\": \"C-9\", \"lines\": [{\"sku\": \"SKU-3\", \"quantity\": 0}]}");

  /** How many deliveries of every batch are sent a second time with the same delivery id. */
  public static final int RESENT = 3;

  /**
   * A batch of Acme deliveries and what PostOffice should make of it.
   *
   * @param messages the deliveries, in sending order
   * @param orders how many distinct valid orders they hold
   * @param lines how many order lines those orders hold: the core events expected
   * @param malformed how many deliveries are malformed
   * @param resent how many deliveries repeat an earlier one
   */
  public record Orders(
      List<RawMessage> messages, int orders, int lines, int malformed, int resent) {}

  private AcmeTraffic() {}

  /**
   * Returns one order as Acme sends it.
   *
   * @param orderId the order number
   * @param lines how many lines, at least 1
   * @return the JSON text
   */
  public static String orderJson(String orderId, int lines) {
    StringBuilder json =
        new StringBuilder()
            .append("{\"orderId\": \"")
            .append(orderId)
            .append("\", \"customer\": \"C-")
            .append(orderId.hashCode() & 0xff)
            .append("\", \"lines\": [");
    for (int i = 0; i < lines; i++) {
      json.append(i == 0 ? "" : ", ")
          .append("{\"sku\": \"SKU-")
          .append(100 + i)
          .append("\", \"quantity\": ")
          .append(i + 1)
          .append('}');
    }
    return json.append("]}").toString();
  }

  /**
   * Returns a batch of deliveries: valid orders of 1 to 3 lines with the {@link #MALFORMED} ones
   * and {@link #RESENT} repeated deliveries spread among them.
   *
   * @param total how many deliveries in all, at least 20
   * @return the batch
   */
  public static Orders orders(int total) {
    if (total < 20) {
      throw new IllegalArgumentException("total must be >= 20, but was " + total);
    }
    int valid = total - MALFORMED.size() - RESENT;
    List<RawMessage> messages = new ArrayList<>(total);
    int lines = 0;
    int malformedSpacing = valid / (MALFORMED.size() + 1);
    int resentSpacing = valid / (RESENT + 1);
    for (int i = 0; i < valid; i++) {
      int orderLines = 1 + i % 3;
      lines += orderLines;
      messages.add(RawMessage.json(orderJson("A-" + (10_000 + i), orderLines), deliveryId(i)));
      int m = i / malformedSpacing;
      if (i % malformedSpacing == malformedSpacing / 2 && m < MALFORMED.size()) {
        messages.add(RawMessage.json(MALFORMED.get(m), "acme-delivery-bad-" + m));
      }
      if (i > 0 && i % resentSpacing == 0 && i / resentSpacing <= RESENT) {
        int again = i - 1;
        messages.add(
            RawMessage.json(orderJson("A-" + (10_000 + again), 1 + again % 3), deliveryId(again)));
      }
    }
    return new Orders(List.copyOf(messages), valid, lines, MALFORMED.size(), RESENT);
  }

  /**
   * Returns the delivery id Acme sends with its {@code index}-th order: the dedup key.
   *
   * @param index the order's index
   * @return the delivery id
   */
  public static String deliveryId(int index) {
    return "acme-delivery-" + index;
  }

  /**
   * Returns the core's ship commands.
   *
   * @param count how many
   * @return the commands, each with its own shipment id
   */
  public static List<ShipOrder> shipments(int count) {
    List<ShipOrder> commands = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      commands.add(
          new ShipOrder(
              "S-" + (50_000 + i),
              "A-" + (10_000 + i),
              (i % 90 + 1) + " Main Street",
              "Springfield",
              1 + i % 4));
    }
    return commands;
  }
}
