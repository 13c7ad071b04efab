package dev.postoffice.spi;

import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import java.util.Map;
import java.util.Objects;

/**
 * An entry to insert: at intake (usually without a source; one with a source is accepted and keeps it) or as
 * a stage's output (with a source). It is stored as
 * {@code JUST_IN} (or {@code DUPLICATE} at intake when its dedup key was seen), with 0 attempts, or with 1
 * attempt and the given lease when {@code lease} is set: the engine's in-memory fast path pre-claims outputs
 * it will work on next, and if the node dies the lease expires like any other.
 *
 * @param id the entry id (random at intake, {@link EntryId#derive} for outputs)
 * @param route the route
 * @param direction the route's direction
 * @param layer the layer writing it
 * @param payload the bytes
 * @param headers headers to keep; never null
 * @param sourceId the entry it comes from, or null at intake
 * @param traceId the trace
 * @param dedupKey the intake dedup key, or null
 * @param producedBy the producing stage and version, or null
 * @param lease a lease to create it with, or null
 */
public record NewEntry(
    EntryId id,
    RouteId route,
    Direction direction,
    Layer layer,
    Payload payload,
    Map<String, String> headers,
    EntryId sourceId,
    TraceId traceId,
    String dedupKey,
    String producedBy,
    Lease lease) {

  /**
   * Checks the required fields and copies the headers.
   *
   * @throws NullPointerException if id, route, direction, layer, payload or traceId is null
   */
  public NewEntry {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(direction, "direction cannot be null");
    Objects.requireNonNull(layer, "layer cannot be null");
    Objects.requireNonNull(payload, "payload cannot be null");
    Objects.requireNonNull(traceId, "traceId cannot be null");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /**
   * Returns a copy with a lease, for the fast path.
   *
   * @param newLease the lease
   * @return the copy
   */
  public NewEntry withLease(Lease newLease) {
    return new NewEntry(id, route, direction, layer, payload, headers, sourceId, traceId, dedupKey, producedBy,
        newLease);
  }
}
