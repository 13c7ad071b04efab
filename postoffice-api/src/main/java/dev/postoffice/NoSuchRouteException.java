package dev.postoffice;

import dev.postoffice.model.RouteId;
import java.util.Collection;
import java.util.List;

/**
 * Thrown when a caller names a route the pipeline was not built with. The message lists the known
 * ones.
 */
public class NoSuchRouteException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  private final String route;
  private final transient List<RouteId> knownRoutes;

  /**
   * Creates the exception.
   *
   * @param route the name asked for
   * @param knownRoutes the routes the pipeline has
   */
  public NoSuchRouteException(String route, Collection<RouteId> knownRoutes) {
    super(
        "no route '"
            + route
            + "' in this pipeline; known routes: "
            + knownRoutes
            + " [Hint: add it with PipelineBuilder.route(...) before build()]");
    this.route = route;
    this.knownRoutes = List.copyOf(knownRoutes);
  }

  /**
   * @return the name asked for
   */
  public String route() {
    return route;
  }

  /**
   * @return the routes the pipeline has
   */
  public List<RouteId> knownRoutes() {
    return knownRoutes;
  }
}
