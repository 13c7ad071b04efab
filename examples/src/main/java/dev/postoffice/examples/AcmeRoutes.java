package dev.postoffice.examples;

import dev.postoffice.Dispatcher;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.examples.model.AcmeOrder;
import dev.postoffice.examples.model.AcmeShipment;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.examples.model.ShipOrder;
import dev.postoffice.spi.Codec;

/**
 * The example's two routes with Acme: orders coming in ({@value #ORDERS}) and shipment notices
 * going out ({@value #SHIPMENTS}). The runnable example and the tests build their pipelines from
 * these.
 */
public final class AcmeRoutes {
  /** The upstream route: Acme's orders to the core. */
  public static final String ORDERS = "acme-orders";

  /** The Core App queue the orders route publishes to. */
  public static final String ORDERS_QUEUE = "core.orders";

  /** The downstream route: the core's ship commands to Acme. */
  public static final String SHIPMENTS = "shipments-to-acme";

  /** The Core App queue the shipments route consumes. */
  public static final String SHIPMENTS_QUEUE = "core.shipments";

  private AcmeRoutes() {}

  /**
   * Returns the upstream route: raw JSON, validated into {@link AcmeOrder}, one {@link
   * OrderLinePlaced} per line, published to {@value #ORDERS_QUEUE}.
   *
   * @param codec the codec that parses Acme's JSON
   * @param settings the route's settings
   * @return the route
   */
  public static Route orders(Codec codec, RouteSettings settings) {
    // tag::ordersRoute[]
    return Route.upstream(ORDERS)
        .normalize(AcmeOrder.class, new AcmeOrderNormalizer(codec)) // L2: bytes -> Acme's model
        .translate(OrderLinePlaced.class, new OrderTranslator()) // L3: Acme's model -> core events
        .publishTo(ORDERS_QUEUE) // L4: the Core App's queue
        .translatorVersion(OrderTranslator.VERSION)
        .settings(settings)
        .build();
    // end::ordersRoute[]
  }

  /**
   * Returns the downstream route: {@link ShipOrder} from {@value #SHIPMENTS_QUEUE}, translated to
   * {@link AcmeShipment}, turned into Acme's request and sent by the dispatcher.
   *
   * @param codec the codec that writes Acme's JSON
   * @param dispatcher what sends the request to Acme
   * @param settings the route's settings
   * @return the route
   */
  public static Route shipments(Codec codec, Dispatcher dispatcher, RouteSettings settings) {
    // tag::shipmentsRoute[]
    return Route.downstream(SHIPMENTS)
        .consumeFrom(SHIPMENTS_QUEUE, ShipOrder.class) // L4: the core's command
        .translate(AcmeShipment.class, new ShipmentTranslator()) // L3: core model -> Acme's model
        .normalize(new ShipmentRequestNormalizer(codec)) // L2: Acme's model -> Acme's request
        .dispatchWith(dispatcher) // L1: send it to Acme
        .translatorVersion(ShipmentTranslator.VERSION)
        .settings(settings)
        .build();
    // end::shipmentsRoute[]
  }
}
