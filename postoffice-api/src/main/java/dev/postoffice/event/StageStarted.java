package dev.postoffice.event;

import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;

/**
 * A stage started working on a batch.
 *
 * @param route the route
 * @param layer the layer whose entries the stage works on
 * @param stage the stage's name, such as {@code "translate"}
 * @param entries how many entries the batch holds
 */
public record StageStarted(RouteId route, Layer layer, String stage, int entries) {}
