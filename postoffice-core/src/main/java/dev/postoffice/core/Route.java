package dev.postoffice.core;

import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.model.Direction;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.Codec;
import java.util.List;

/**
 * One flow: one partner, one kind of message, one direction, with its own stages and settings.
 * Routes are immutable; build them with {@link #upstream(String)} or {@link #downstream(String)},
 * whose typed steps let the compiler check that each layer's output type is the next layer's input
 * type, and add them to a {@link PipelineBuilder}.
 *
 * <pre>{@code
 * Route orders = Route.upstream("acme-orders")
 *     .normalize(AcmeOrder.class, raw -> codec.decode(raw.payload(), AcmeOrder.class))
 *     .translate(OrderPlaced.class, order -> List.of(new OrderPlaced(order.id(), order.total())))
 *     .publishTo("core.orders")
 *     .build();
 * }</pre>
 */
public final class Route {
  private final String name;
  private final Direction direction;
  private final RouteSettings settings;
  private final List<String> errors;
  private final RouteBuilder.StageFactory stages;
  private final RouteBuilder.Versions versions;
  private final String sourceDestination;

  Route(
      String name,
      Direction direction,
      RouteSettings settings,
      List<String> errors,
      RouteBuilder.StageFactory stages,
      RouteBuilder.Versions versions,
      String sourceDestination) {
    this.versions = versions;
    this.name = name;
    this.direction = direction;
    this.settings = settings;
    this.errors = List.copyOf(errors);
    this.stages = stages;
    this.sourceDestination = sourceDestination;
  }

  /**
   * Starts an upstream route (partner to Core App).
   *
   * @param name the route's name, such as {@code "acme-orders"} (see {@link RouteId} for the rules)
   * @return the first step: the normalizer
   */
  public static UpstreamRouteBuilder upstream(String name) {
    return new UpstreamRouteBuilder(name);
  }

  /**
   * Starts a downstream route (Core App to partner).
   *
   * @param name the route's name, such as {@code "shipments-to-acme"}
   * @return the first step: the Core App queue to consume
   */
  public static DownstreamRouteBuilder downstream(String name) {
    return new DownstreamRouteBuilder(name);
  }

  /**
   * @return the route's name
   */
  public String name() {
    return name;
  }

  /**
   * @return the route's direction
   */
  public Direction direction() {
    return direction;
  }

  /**
   * @return the route's settings
   */
  public RouteSettings settings() {
    return settings;
  }

  /** Problems found while the route was described; reported by {@link PipelineBuilder#build()}. */
  List<String> errors() {
    return errors;
  }

  /** Turns the description into what the engine runs; call only when {@link #errors()} is empty. */
  RouteDefinition define(Codec codec) {
    RouteId id = RouteId.of(name);
    return new RouteDefinition(
        id, direction, settings, stages.create(id, codec, versions), sourceDestination);
  }

  @Override
  public String toString() {
    return "Route[" + name + ", " + direction + "]";
  }
}
