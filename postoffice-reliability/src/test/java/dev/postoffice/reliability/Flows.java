package dev.postoffice.reliability;

import dev.postoffice.Dispatcher;
import dev.postoffice.PartnerRequest;
import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * The partner and core models and the two routes every suite runs: orders upstream, shipments
 * downstream.
 */
final class Flows {
  static final JacksonCodec CODEC = JacksonCodec.create();
  static final String ORDERS_QUEUE = "core.orders";
  static final String SHIPMENTS_QUEUE = "core.shipments";

  private Flows() {}

  /** A partner's order (upstream L2 model). */
  record PartnerOrder(String orderId, int quantity) {}

  /** The core's message for an order (upstream L3/L4 model). */
  record OrderPlaced(String orderId, int quantity) {}

  /** A core command to ship (downstream L4 model). */
  record ShipOrder(String orderId, String address) {}

  /** The partner's shipment request (downstream L3 model). */
  record PartnerShipment(String reference, String deliverTo) {}

  /**
   * @return a raw partner order
   */
  static String orderJson(String id, int quantity) {
    return "{\"orderId\":\"" + id + "\",\"quantity\":" + quantity + "}";
  }

  /**
   * Settings for crash and fault suites: short leases so a dead node's work is taken over quickly,
   * fast polls, and patient retries (many attempts, short backoff) so faults end in recovery, not
   * in FAILED.
   */
  static RouteSettings.Builder settings(Duration lease) {
    return RouteSettings.builder()
        .batchSize(50)
        .linger(Duration.ofMillis(2))
        .pollInterval(Duration.ofMillis(100))
        .leaseDuration(lease)
        .confirmTimeout(lease.dividedBy(2))
        .ackTimeout(Duration.ofSeconds(10))
        .retry(
            RetrySettings.ofDefaults()
                .withMaxAttempts(60)
                .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(2)));
  }

  /**
   * Upstream: raw JSON order (L1) → validated partner order (L2) → one OrderPlaced (L3) → published
   * (L4).
   */
  static Route orders(String name, String queue, RouteSettings settings) {
    return Route.upstream(name)
        .normalize(
            PartnerOrder.class,
            raw -> {
              PartnerOrder order = CODEC.decode(raw.payload(), PartnerOrder.class);
              if (order.orderId() == null || order.orderId().isBlank()) {
                throw new RejectedInputException("orderId is required");
              }
              return order;
            })
        .translate(
            OrderPlaced.class, order -> List.of(new OrderPlaced(order.orderId(), order.quantity())))
        .publishTo(queue)
        .settings(settings)
        .build();
  }

  /**
   * Downstream: ShipOrder (L4) → partner shipment (L3) → POST {partner}shipments (L2) → dispatched
   * (L1).
   */
  static Route shipments(
      String name, String queue, URI partner, RouteSettings settings, Dispatcher dispatcher) {
    URI target = partner.resolve("shipments");
    return Route.downstream(name)
        .consumeFrom(queue, ShipOrder.class)
        .translate(
            PartnerShipment.class,
            s -> List.of(new PartnerShipment("REF-" + s.orderId(), s.address())))
        .normalize(s -> PartnerRequest.post(target, CODEC.encode(s)))
        .dispatchWith(dispatcher)
        .settings(settings)
        .build();
  }
}
