package dev.postoffice.spi;

import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import java.util.Map;
import java.util.Objects;

/**
 * An entry to insert: at intake (usually without a source; one with a source is accepted and keeps
 * it) or as a stage's output (with a source). It is stored as {@code JUST_IN} (or {@code DUPLICATE}
 * at intake when its dedup key was seen), with 0 attempts, or with 1 attempt and the given lease
 * when {@code lease} is set: the engine's in-memory fast path pre-claims outputs it will work on
 * next, and if the node dies the lease expires like any other.
 *
 * <p>An output may instead be stored <em>finished</em> ({@code finishedAs} set): the engine worked
 * on it in memory in the same batch, before the commit that stores it, so it is written already
 * moved to that status (with the history rows {@code JUST_IN}, then {@code JUST_IN -> finishedAs}
 * with {@code finishedDetail}), one attempt and no lease. Its own outputs come after it in the same
 * completion. Stores accept this only among a completion's outputs, never at intake.
 *
 * @param id the entry id (random at intake, {@link EntryId#derive} for outputs)
 * @param route the route
 * @param direction the route's direction
 * @param layer the layer writing it
 * @param payload the bytes; a content type that is not storable is made so with {@link
 *     StorableText#contentType}
 * @param headers headers to keep; never null
 * @param sourceId the entry it comes from, or null at intake
 * @param traceId the trace
 * @param dedupKey the intake dedup key, or null; made storable with {@link StorableText#dedupKey}
 * @param producedBy the producing stage and version, or null
 * @param lease a lease to create it with, or null
 * @param finishedAs the status to store it in, already worked on; null to store it {@code JUST_IN}
 * @param finishedDetail the history detail of its move to {@code finishedAs}; may be null; made
 *     storable with {@link StorableText#detail}
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
    Lease lease,
    Status finishedAs,
    String finishedDetail) {

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
    dedupKey = StorableText.dedupKey(dedupKey);
    String contentType = StorableText.contentType(payload.contentType());
    if (!contentType.equals(payload.contentType())) {
      payload =
          Payload.wrap(payload.bytes(), contentType); // rare: a partner's or broker's bad header
    }
    finishedDetail = StorableText.detail(finishedDetail);
    if (finishedAs != null) {
      if (finishedAs == Status.RETRYING || !Status.JUST_IN.canMoveTo(finishedAs)) {
        throw new IllegalArgumentException(
            "finishedAs cannot be "
                + finishedAs.name()
                + ": an output can be"
                + " stored finished only in a status JUST_IN moves to without a retry time");
      }
      lease = null;
    }
  }

  /**
   * An entry stored {@code JUST_IN}, as most are.
   *
   * @param id the entry id
   * @param route the route
   * @param direction the route's direction
   * @param layer the layer writing it
   * @param payload the bytes
   * @param headers headers to keep
   * @param sourceId the entry it comes from, or null at intake
   * @param traceId the trace
   * @param dedupKey the intake dedup key, or null
   * @param producedBy the producing stage and version, or null
   * @param lease a lease to create it with, or null
   */
  public NewEntry(
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
    this(
        id,
        route,
        direction,
        layer,
        payload,
        headers,
        sourceId,
        traceId,
        dedupKey,
        producedBy,
        lease,
        null,
        null);
  }

  /**
   * Returns a copy stored already finished, for a stage that worked on it before its commit.
   *
   * @param status the status it ends in (not {@code JUST_IN} or {@code RETRYING})
   * @param detail the history detail of that move; may be null
   * @return the copy, without a lease
   */
  public NewEntry finished(Status status, String detail) {
    return new NewEntry(
        id,
        route,
        direction,
        layer,
        payload,
        headers,
        sourceId,
        traceId,
        dedupKey,
        producedBy,
        null,
        Objects.requireNonNull(status, "status cannot be null"),
        detail);
  }

  /**
   * Returns a copy with a lease, for the fast path.
   *
   * @param newLease the lease
   * @return the copy
   */
  public NewEntry withLease(Lease newLease) {
    return new NewEntry(
        id,
        route,
        direction,
        layer,
        payload,
        headers,
        sourceId,
        traceId,
        dedupKey,
        producedBy,
        newLease,
        finishedAs,
        finishedDetail);
  }
}
