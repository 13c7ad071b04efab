package dev.postoffice.core.internal;

import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a message over its route's size limit as a {@code REJECTED} entry without its body (which is the
 * problem), so the refusal is traceable and nothing oversized reaches the store or the heap twice.
 */
final class OversizeRecorder {
  static final String HEADER_ORIGINAL_SIZE = "postoffice-original-size";
  static final String HEADER_ORIGINAL_KEY = "postoffice-original-dedup-key";

  private final RouteDefinition route;
  private final EngineContext ctx;

  OversizeRecorder(RouteDefinition route, EngineContext ctx) {
    this.route = route;
    this.ctx = ctx;
  }

  /** Stores the rejection and returns its reason. */
  String record(Payload payload, Map<String, String> headers, String dedupKey, TraceId traceId, Layer layer,
      Direction direction) {
    String reason = "payload of " + payload.size() + " bytes is over route " + route.id() + "'s limit of "
        + route.settings().maxPayloadBytes() + " bytes (maxPayloadBytes)";
    Map<String, String> kept = new HashMap<>(headers);
    kept.put(HEADER_ORIGINAL_SIZE, Integer.toString(payload.size()));
    if (dedupKey != null) {
      kept.put(HEADER_ORIGINAL_KEY, dedupKey); // the partner's delivery id or the Core App's message id
    }
    EntryId id = EntryId.random();
    // Stored leased to this node, so no stage claims the empty entry before it is marked rejected. No dedup
    // key: a rejected oversized message must not make a later, fixed one look like a duplicate.
    Lease lease = new Lease(ctx.nodeId(), ctx.clock().instant().plus(route.settings().leaseDuration()));
    ctx.store().intake(List.of(new NewEntry(id, route.id(), direction, layer,
        Payload.of(new byte[0], payload.contentType()), kept, null, traceId, null, UpstreamIntake.PRODUCED_BY,
        lease)), ctx.clock().instant());
    // The entry is leased to this node with attempt 1, so this completion applies and records the reason as
    // the entry's error, where operators look first.
    ctx.store().commit(List.of(new Completion(id, ctx.nodeId(), 1, Status.REJECTED, reason, reason, null,
        List.of())), ctx.clock().instant());
    return reason;
  }
}
