package dev.postoffice.event;

import dev.postoffice.model.RouteId;
import java.time.Duration;
import java.time.Instant;

/**
 * The broker confirmed a batch of layer-4 messages (they are {@code QUEUED} once the store has it):
 * one event per publish call, not per message.
 *
 * @param route the route
 * @param destination the queue or topic the messages went to
 * @param messages how many messages the broker confirmed
 * @param confirmTime how long the publish took, first byte sent to the last confirm
 * @param at when the confirms arrived, on the engine's clock
 */
public record PublishConfirmed(
    RouteId route, String destination, int messages, Duration confirmTime, Instant at) {}
