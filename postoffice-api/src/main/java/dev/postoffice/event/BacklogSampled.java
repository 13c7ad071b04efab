package dev.postoffice.event;

import dev.postoffice.model.RouteId;
import java.time.Instant;

/**
 * A route's backlog as the engine last counted it: the entries waiting in it, the figure its
 * backpressure compares with {@code RouteSettings.maxBacklog}. Sampled (at most a few times a
 * second, and only while the route takes in messages), never reported per message.
 *
 * @param route the route
 * @param waiting how many of its entries are waiting (not yet finished)
 * @param at when the count was taken, on the engine's clock
 */
public record BacklogSampled(RouteId route, long waiting, Instant at) {}
