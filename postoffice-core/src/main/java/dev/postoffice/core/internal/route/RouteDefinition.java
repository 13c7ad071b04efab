package dev.postoffice.core.internal.route;

import dev.postoffice.core.RouteSettings;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import java.util.List;

/**
 * A route as the engine runs it: its stages in order and its settings.
 *
 * @param id the route
 * @param direction its direction
 * @param settings its settings
 * @param stages its stages, in the order messages pass them
 * @param sourceDestination downstream: the Core App queue it consumes; upstream: null
 */
public record RouteDefinition(
    RouteId id,
    Direction direction,
    RouteSettings settings,
    List<StageSpec> stages,
    String sourceDestination) {
  /** Copies the stages. */
  public RouteDefinition {
    stages = List.copyOf(stages);
  }

  /**
   * @return the layer at which messages enter: L1 upstream, L4 downstream
   */
  public Layer entryLayer() {
    return direction == Direction.UPSTREAM ? Layer.L1 : Layer.L4;
  }

  /**
   * @return the queue the upstream publish stage sends to, or null
   */
  public String publishDestination() {
    return stages.stream()
        .filter(s -> s.destination() != null)
        .map(StageSpec::destination)
        .findFirst()
        .orElse(null);
  }
}
