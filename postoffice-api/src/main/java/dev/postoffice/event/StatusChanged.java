package dev.postoffice.event;

import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import java.time.Instant;

/**
 * An entry's status changed, and the store has it: reported after the write that made the change
 * commits, never for a change that was rolled back: one event per row of the entry's history. An
 * entry taken in is reported with {@code from} null and its first status ({@code JUST_IN} or {@code
 * DUPLICATE}); an output a stage stores already finished has two history rows, so two events (null
 * to {@code JUST_IN}, then {@code JUST_IN} to its status), the same whether stages ran fused or one
 * by one.
 *
 * @param entryId the entry
 * @param traceId its trace
 * @param route its route
 * @param direction upstream (partner to Core App) or downstream
 * @param layer its layer
 * @param from the status it left; null when the entry was created with {@code to}
 * @param to the status it has now
 * @param detail what the history row says about the change (an error, "duplicate of ...", "replayed
 *     by ..."); may be null
 * @param at when the change was made, on the engine's clock
 */
public record StatusChanged(
    EntryId entryId,
    TraceId traceId,
    RouteId route,
    Direction direction,
    Layer layer,
    Status from,
    Status to,
    String detail,
    Instant at) {}
