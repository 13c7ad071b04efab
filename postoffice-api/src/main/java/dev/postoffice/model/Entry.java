package dev.postoffice.model;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One layer's record of one message: what it holds, where it came from and where it is. Entries are
 * immutable snapshots; a store returns a new one after every change.
 *
 * @param id the entry's id; upstream at layer 4 it is the message id the Core App sees
 * @param route the route it belongs to
 * @param direction the route's direction
 * @param layer the layer that wrote it
 * @param status where it is now
 * @param payload its bytes; null in listings that skip payloads, or once retention purged them
 * @param headers string headers (partner headers at intake, trace headers); never null
 * @param sourceId the entry in the previous layer it came from; null for a root entry
 * @param traceId shared by everything descending from one original receipt
 * @param dedupKey the key intake deduplicates on; null where there is none
 * @param attempts how many times a stage has claimed it; the current value is the lease's fencing
 *     token
 * @param nextAttemptAt when a retrying entry is due again; null otherwise
 * @param lastError the last failure, for people; null if none
 * @param generation how many times an operator replayed it; part of its outputs' ids
 * @param producedBy the name and version of the stage that produced it, such as {@code
 *     "translator@3"}
 * @param lease the current claim on it; null when unclaimed
 * @param createdAt when it was stored
 * @param updatedAt when its status or lease last changed
 */
public record Entry(
    EntryId id,
    RouteId route,
    Direction direction,
    Layer layer,
    Status status,
    Payload payload,
    Map<String, String> headers,
    EntryId sourceId,
    TraceId traceId,
    String dedupKey,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    int generation,
    String producedBy,
    Lease lease,
    Instant createdAt,
    Instant updatedAt) {

  /**
   * Checks the required fields and copies the headers.
   *
   * @throws NullPointerException if a required field is null
   */
  public Entry {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(direction, "direction cannot be null");
    Objects.requireNonNull(layer, "layer cannot be null");
    Objects.requireNonNull(status, "status cannot be null");
    Objects.requireNonNull(traceId, "traceId cannot be null");
    Objects.requireNonNull(createdAt, "createdAt cannot be null");
    Objects.requireNonNull(updatedAt, "updatedAt cannot be null");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  /**
   * Returns a builder holding this entry's values, to make a changed copy.
   *
   * @return a new builder
   */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /**
   * Returns an empty builder.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder(null);
  }

  /** Builds entries; mostly for store implementations. Not thread-safe. */
  public static final class Builder {
    private EntryId id;
    private RouteId route;
    private Direction direction;
    private Layer layer;
    private Status status;
    private Payload payload;
    private Map<String, String> headers = Map.of();
    private EntryId sourceId;
    private TraceId traceId;
    private String dedupKey;
    private int attempts;
    private Instant nextAttemptAt;
    private String lastError;
    private int generation;
    private String producedBy;
    private Lease lease;
    private Instant createdAt;
    private Instant updatedAt;

    private Builder(Entry e) {
      if (e != null) {
        id = e.id;
        route = e.route;
        direction = e.direction;
        layer = e.layer;
        status = e.status;
        payload = e.payload;
        headers = e.headers;
        sourceId = e.sourceId;
        traceId = e.traceId;
        dedupKey = e.dedupKey;
        attempts = e.attempts;
        nextAttemptAt = e.nextAttemptAt;
        lastError = e.lastError;
        generation = e.generation;
        producedBy = e.producedBy;
        lease = e.lease;
        createdAt = e.createdAt;
        updatedAt = e.updatedAt;
      }
    }

    /**
     * @param v the id @return this builder
     */
    public Builder id(EntryId v) {
      id = v;
      return this;
    }

    /**
     * @param v the route @return this builder
     */
    public Builder route(RouteId v) {
      route = v;
      return this;
    }

    /**
     * @param v the direction @return this builder
     */
    public Builder direction(Direction v) {
      direction = v;
      return this;
    }

    /**
     * @param v the layer @return this builder
     */
    public Builder layer(Layer v) {
      layer = v;
      return this;
    }

    /**
     * @param v the status @return this builder
     */
    public Builder status(Status v) {
      status = v;
      return this;
    }

    /**
     * @param v the payload, or null @return this builder
     */
    public Builder payload(Payload v) {
      payload = v;
      return this;
    }

    /**
     * @param v the headers @return this builder
     */
    public Builder headers(Map<String, String> v) {
      headers = v;
      return this;
    }

    /**
     * @param v the source entry id, or null @return this builder
     */
    public Builder sourceId(EntryId v) {
      sourceId = v;
      return this;
    }

    /**
     * @param v the trace id @return this builder
     */
    public Builder traceId(TraceId v) {
      traceId = v;
      return this;
    }

    /**
     * @param v the dedup key, or null @return this builder
     */
    public Builder dedupKey(String v) {
      dedupKey = v;
      return this;
    }

    /**
     * @param v the attempt count @return this builder
     */
    public Builder attempts(int v) {
      attempts = v;
      return this;
    }

    /**
     * @param v the next attempt time, or null @return this builder
     */
    public Builder nextAttemptAt(Instant v) {
      nextAttemptAt = v;
      return this;
    }

    /**
     * @param v the last error, or null @return this builder
     */
    public Builder lastError(String v) {
      lastError = v;
      return this;
    }

    /**
     * @param v the replay generation @return this builder
     */
    public Builder generation(int v) {
      generation = v;
      return this;
    }

    /**
     * @param v the producing stage and version, or null @return this builder
     */
    public Builder producedBy(String v) {
      producedBy = v;
      return this;
    }

    /**
     * @param v the lease, or null @return this builder
     */
    public Builder lease(Lease v) {
      lease = v;
      return this;
    }

    /**
     * @param v the creation time @return this builder
     */
    public Builder createdAt(Instant v) {
      createdAt = v;
      return this;
    }

    /**
     * @param v the last update time @return this builder
     */
    public Builder updatedAt(Instant v) {
      updatedAt = v;
      return this;
    }

    /**
     * Builds the entry.
     *
     * @return the entry
     * @throws NullPointerException if a required field is missing
     */
    public Entry build() {
      return new Entry(
          id,
          route,
          direction,
          layer,
          status,
          payload,
          headers,
          sourceId,
          traceId,
          dedupKey,
          attempts,
          nextAttemptAt,
          lastError,
          generation,
          producedBy,
          lease,
          createdAt,
          updatedAt);
    }
  }
}
