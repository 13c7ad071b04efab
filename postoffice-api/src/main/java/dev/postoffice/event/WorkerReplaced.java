package dev.postoffice.event;

import dev.postoffice.model.RouteId;

/**
 * A stage's worker thread died of something the engine cannot handle as an entry's failure (an
 * {@link Error} such as {@link OutOfMemoryError} or {@link StackOverflowError} outside user code,
 * or a bug), and a new worker took its place. The batch it held waits for its leases to expire,
 * then is claimed again.
 *
 * @param route the route
 * @param stage the stage's name
 * @param thread the name of the thread that died
 * @param cause what it died of, for people: the throwable's type and message
 * @param replacements how many workers of this route have been replaced since the pipeline started
 */
public record WorkerReplaced(
    RouteId route, String stage, String thread, String cause, long replacements) {}
