package dev.postoffice.event;

import dev.postoffice.model.RouteId;
import java.time.Instant;

/**
 * A layer-4 publish call failed for some or all of its messages: the broker refused them (a nack),
 * returned them as unroutable, did not confirm them in time, or the connection was lost. The
 * entries stay unconfirmed and are published again with the same ids, or fail for good if the
 * transport says retrying cannot help. One event per publish call, not per message: a call that
 * failed for several reasons is reported with the first one.
 *
 * @param route the route
 * @param destination the queue or topic the messages were for
 * @param messages how many messages of the call the broker did not confirm
 * @param reason what went wrong, for logs (free text: not meant as a metric tag)
 * @param at when the failure was seen, on the engine's clock
 */
public record PublishFailed(
    RouteId route, String destination, int messages, String reason, Instant at) {}
