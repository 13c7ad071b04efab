package dev.postoffice.event;

import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import java.time.Duration;

/**
 * A stage finished a batch.
 *
 * @param route the route
 * @param layer the layer whose entries the stage worked on
 * @param stage the stage's name, such as {@code "translate"}
 * @param entries how many entries the batch held
 * @param failures how many of them failed (retrying, failed or rejected)
 * @param duration how long the batch took, claim to commit
 */
public record StageFinished(
    RouteId route, Layer layer, String stage, int entries, int failures, Duration duration) {}
