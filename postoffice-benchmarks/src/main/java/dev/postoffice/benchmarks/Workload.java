package dev.postoffice.benchmarks;

import dev.postoffice.RawMessage;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.Codec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.AbstractList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The messages every benchmark sends: a partner order of about 500 bytes of JSON, normalized into
 * {@link PartnerOrder} and translated into one {@link CoreOrder}. The same Jackson work runs in the
 * PostOffice pipeline and in the baseline, so their ratio measures what PostOffice adds.
 */
public final class Workload {
  private Workload() {}

  /** The partner's order, as its API sends it. */
  public record PartnerOrder(
      String orderId,
      String customer,
      String currency,
      Instant placedAt,
      List<Line> lines,
      String note) {}

  /** One order line of the partner's order. */
  public record Line(String sku, int quantity, long unitPriceCents, String description) {}

  /** The core message one partner order becomes. */
  public record CoreOrder(
      String orderId,
      String customerId,
      String currency,
      Instant placedAt,
      int lines,
      long totalCents) {}

  /**
   * Returns the partner order number {@code i} as JSON of about 500 bytes.
   *
   * @param i the order number
   * @return the JSON bytes
   */
  public static byte[] json(int i) {
    String s =
        "{\"orderId\":\"ord-"
            + (1_000_000 + i)
            + "\",\"customer\":\"cust-"
            + (i % 977)
            + "\",\"currency\":\"EUR\",\"placedAt\":\"2030-01-01T00:00:00Z\",\"lines\":["
            + "{\"sku\":\"SKU-"
            + (i % 101)
            + "\",\"quantity\":2,\"unitPriceCents\":1999,"
            + "\"description\":\"Blue widget, large, boxed\"},"
            + "{\"sku\":\"SKU-"
            + (i % 103)
            + "\",\"quantity\":1,\"unitPriceCents\":4999,"
            + "\"description\":\"Red gadget with charger and cable\"},"
            + "{\"sku\":\"SKU-"
            + (i % 107)
            + "\",\"quantity\":5,\"unitPriceCents\":250,"
            + "\"description\":\"Spare screws, pack of twenty\"}],"
            + "\"note\":\"Leave at the back door if nobody answers; call ahead on weekdays before noon.\"}";
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** How many distinct messages a run cycles through. */
  static final int DISTINCT = 4096;

  /**
   * Returns {@code count} raw messages (no dedup key, no headers), cycling through {@value
   * #DISTINCT} distinct orders, so the harness's own data stays small on the heap and does not skew
   * the GC figures.
   *
   * @param count how many
   * @return the messages
   */
  public static List<RawMessage> messages(int count) {
    RawMessage[] pool = new RawMessage[Math.min(count, DISTINCT)];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = new RawMessage(Payload.of(json(i), Payload.JSON), Map.of(), null);
    }
    return new AbstractList<>() {
      @Override
      public RawMessage get(int index) {
        return pool[Objects.checkIndex(index, count) % pool.length];
      }

      @Override
      public int size() {
        return count;
      }
    };
  }

  /**
   * The translator: one core order per partner order.
   *
   * @param order the partner order
   * @return the core order
   */
  public static CoreOrder translate(PartnerOrder order) {
    long total = 0;
    for (Line line : order.lines()) {
      total += line.quantity() * line.unitPriceCents();
    }
    return new CoreOrder(
        order.orderId(),
        order.customer(),
        order.currency(),
        order.placedAt(),
        order.lines().size(),
        total);
  }

  /**
   * The normalizer: parses and checks the partner's JSON.
   *
   * @param codec the codec
   * @param raw the raw message
   * @return the partner order
   */
  public static PartnerOrder normalize(Codec codec, RawMessage raw) {
    PartnerOrder order = codec.decode(raw.payload(), PartnerOrder.class);
    if (order.orderId() == null || order.lines() == null || order.lines().isEmpty()) {
      throw new dev.postoffice.RejectedInputException("order without id or lines");
    }
    return order;
  }
}
