package dev.postoffice.event;

import dev.postoffice.model.RouteId;
import java.time.Instant;

/**
 * PostOffice consumed a message the broker says it delivered before (redelivered, or a delivery
 * count above one): a consumer died or put it back before acknowledging it. One event per such
 * delivery. Harmless by itself (intake and acknowledgements are idempotent); a steady stream means
 * consumers crash or time out.
 *
 * @param route the route that consumed it, or null for the acknowledgement queue (shared by all
 *     routes)
 * @param source the queue or topic it was consumed from
 * @param deliveryCount how many times it has been delivered, counting this one, or 0 if the broker
 *     does not tell
 * @param at when, on the engine's clock
 */
public record MessageRedelivered(RouteId route, String source, int deliveryCount, Instant at) {}
