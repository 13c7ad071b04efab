package dev.postoffice.spi;

import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;

/**
 * How many entries of a route and layer are in a status.
 *
 * @param route the route
 * @param layer the layer
 * @param status the status
 * @param count the number of entries, at least 1
 */
public record StatusCount(RouteId route, Layer layer, Status status, long count) {}
