package dev.postoffice.event;

import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import java.time.Duration;
import java.time.Instant;

/**
 * A message reached the end of its route: upstream, the Core App acknowledged it ({@code
 * ACKNOWLEDGED}); downstream, the partner took it ({@code DISPATCHED}). Reported after the store
 * has the change, once per entry, beside its {@link StatusChanged}.
 *
 * @param entryId the entry that was delivered (layer 4 upstream, layer 1 downstream)
 * @param traceId its trace
 * @param route its route
 * @param direction which way it went
 * @param sinceIntake how long since the message was taken in at the start of its route (the
 *     delivery latency operators alert on); null when the engine cannot tell without reading the
 *     store
 * @param sinceQueued upstream only: how long the Core App took to acknowledge after the broker
 *     confirmed the message ({@code QUEUED} to {@code ACKNOWLEDGED}); null downstream or when
 *     unknown
 * @param at when it was delivered, on the engine's clock
 */
public record MessageDelivered(
    EntryId entryId,
    TraceId traceId,
    RouteId route,
    Direction direction,
    Duration sinceIntake,
    Duration sinceQueued,
    Instant at) {}
