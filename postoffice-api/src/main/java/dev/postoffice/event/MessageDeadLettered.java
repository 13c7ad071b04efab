package dev.postoffice.event;

import dev.postoffice.model.RouteId;
import java.time.Instant;

/**
 * PostOffice told the broker to dead-letter a message it consumed, because it can never take it: a
 * malformed acknowledgement of the Core App, or a downstream message it cannot store (too big). The
 * message leaves the queue for the queue's dead-letter queue; nothing retries it.
 *
 * @param route the route that consumed it, or null for the acknowledgement queue (shared by all
 *     routes)
 * @param source the queue or topic it was consumed from
 * @param messageId the message's id as the transport gave it
 * @param reason why, as given to the broker
 * @param at when, on the engine's clock
 */
public record MessageDeadLettered(
    RouteId route, String source, String messageId, String reason, Instant at) {}
