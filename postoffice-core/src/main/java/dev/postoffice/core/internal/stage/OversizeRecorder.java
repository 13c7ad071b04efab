package dev.postoffice.core.internal.stage;

import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.Entries;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records a message over its route's size limit as a {@code REJECTED} entry without its body (which
 * is the problem), so the refusal is traceable and nothing oversized reaches the store or the heap
 * twice.
 *
 * <p>Recording takes two store calls: the empty stand-in entry is inserted leased to this node
 * (with the batch or page it came in, so a page stored again after a failure records it again only
 * if the first try stored nothing), then moved to {@code REJECTED}. A stand-in left between the two
 * (the node died, the store failed in between) carries its reason in a header, and the stage that
 * claims it after its lease rejects it with that reason instead of working on it ({@link
 * #standInReason}).
 */
public final class OversizeRecorder {
  static final String HEADER_ORIGINAL_SIZE = "postoffice-original-size";
  static final String HEADER_ORIGINAL_KEY = "postoffice-original-dedup-key";
  static final String HEADER_REJECTED_REASON = "postoffice-rejected-reason";

  /** A refused message: its empty stand-in entry, to insert, and why it is refused. */
  public record Refusal(NewEntry standIn, String reason) {}

  private final RouteDefinition route;
  private final EngineContext ctx;
  private final PipelineEvents events;

  public OversizeRecorder(RouteDefinition route, EngineContext ctx) {
    this.route = route;
    this.ctx = ctx;
    this.events = PipelineEvents.of(ctx);
  }

  /** Stores the rejection and returns its reason. */
  public String record(
      Payload payload,
      Map<String, String> headers,
      String dedupKey,
      TraceId traceId,
      Layer layer,
      Direction direction) {
    Refusal refusal = refusal(payload, headers, dedupKey, traceId, layer, direction);
    Instant at = ctx.clock().instant();
    IntakeResult stored = ctx.store().intake(List.of(refusal.standIn()), at).get(0);
    if (stored.entryId().equals(refusal.standIn().id())) {
      events.created(refusal.standIn(), Status.JUST_IN, null, at);
    }
    reject(List.of(refusal));
    return refusal.reason();
  }

  /**
   * Describes the refusal of an oversized message: the stand-in entry to insert with its batch, and
   * why.
   */
  public Refusal refusal(
      Payload payload,
      Map<String, String> headers,
      String dedupKey,
      TraceId traceId,
      Layer layer,
      Direction direction) {
    String reason =
        "payload of "
            + payload.size()
            + " bytes is over route "
            + route.id()
            + "'s limit of "
            + route.settings().maxPayloadBytes()
            + " bytes (maxPayloadBytes)";
    Map<String, String> kept = new HashMap<>(headers);
    kept.put(HEADER_ORIGINAL_SIZE, Integer.toString(payload.size()));
    kept.put(HEADER_REJECTED_REASON, reason);
    if (dedupKey != null) {
      kept.put(
          HEADER_ORIGINAL_KEY, dedupKey); // the partner's delivery id or the Core App's message id
    }
    // Stored leased to this node, so no stage claims the empty entry before it is marked rejected.
    // No dedup
    // key: a rejected oversized message must not make a later, fixed one look like a duplicate.
    Lease lease =
        new Lease(ctx.nodeId(), ctx.clock().instant().plus(route.settings().leaseDuration()));
    NewEntry standIn =
        new NewEntry(
            EntryId.random(),
            route.id(),
            direction,
            layer,
            Payload.of(new byte[0], payload.contentType()),
            kept,
            null,
            traceId,
            null,
            Entries.PRODUCED_BY_INTAKE,
            lease);
    return new Refusal(standIn, reason);
  }

  /** Moves inserted stand-ins to {@code REJECTED}, with their reasons as their errors. */
  public void reject(List<Refusal> refusals) {
    List<Completion> completions = new ArrayList<>(refusals.size());
    for (Refusal refusal : refusals) {
      // The entry is leased to this node with attempt 1, so this completion applies and records the
      // reason
      // as the entry's error, where operators look first.
      completions.add(
          new Completion(
              refusal.standIn().id(),
              ctx.nodeId(),
              1,
              Status.REJECTED,
              refusal.reason(),
              refusal.reason(),
              null,
              List.of()));
    }
    Instant at = ctx.clock().instant();
    CommitResult result = ctx.store().commit(completions, at);
    if (events.enabled()) {
      for (Refusal refusal : refusals) {
        if (result.applied().contains(refusal.standIn().id())) {
          NewEntry n = refusal.standIn();
          events.changed(
              n.id(),
              n.traceId(),
              n.route(),
              n.direction(),
              n.layer(),
              Status.JUST_IN,
              Status.REJECTED,
              refusal.reason(),
              at);
        }
      }
    }
  }

  /**
   * Returns the reason of a stand-in a stage claimed because its rejection was never stored, or
   * null for any other entry.
   */
  static String standInReason(Entry entry) {
    return entry.payload().size() == 0 ? entry.headers().get(HEADER_REJECTED_REASON) : null;
  }
}
