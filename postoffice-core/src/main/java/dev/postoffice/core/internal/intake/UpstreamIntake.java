package dev.postoffice.core.internal.intake;

import dev.postoffice.Intake;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.core.internal.TraceHeaders;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.Entries;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.core.internal.route.RouteDefinition;
import dev.postoffice.core.internal.runner.HandOffReservation;
import dev.postoffice.core.internal.runner.StageRunner;
import dev.postoffice.core.internal.stage.IntakeFilter;
import dev.postoffice.core.internal.stage.OversizeRecorder;
import dev.postoffice.core.internal.stage.OversizeRecorder.Refusal;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake of an upstream route: checks backpressure and size, stores the raw messages as {@code
 * JUST_IN} layer-1 entries, and hands the new ones to the normalizer in memory. A message over the
 * size limit is answered per message: recorded {@code REJECTED} (without its body) beside the
 * others, which are stored.
 */
public final class UpstreamIntake implements Intake {
  private static final Logger log = LoggerFactory.getLogger(UpstreamIntake.class);

  private final RouteDefinition route;
  private final EngineContext ctx;
  private final BacklogGauge backlog;
  private final StageRunner first;
  private final OversizeRecorder oversize;
  private final IntakeBatcher batcher;
  private final PipelineEvents events;

  public UpstreamIntake(
      RouteDefinition route, EngineContext ctx, BacklogGauge backlog, StageRunner first) {
    this.route = route;
    this.ctx = ctx;
    this.backlog = backlog;
    this.first = first;
    this.oversize = new OversizeRecorder(route, ctx);
    this.batcher = new IntakeBatcher(ctx.store(), ctx.clock());
    this.events = PipelineEvents.of(ctx);
  }

  @Override
  public RouteId route() {
    return route.id();
  }

  @Override
  public IntakeReceipt submit(RawMessage message) {
    IntakeReceipt receipt =
        submitAll(List.of(Objects.requireNonNull(message, "message cannot be null"))).get(0);
    if (receipt.isRejected()) {
      throw new RejectedInputException(receipt.rejectedReason());
    }
    return receipt;
  }

  @Override
  public IntakeReceipt submitFiltered(RawMessage message, String reason) {
    Objects.requireNonNull(message, "message cannot be null");
    Objects.requireNonNull(reason, "reason cannot be null");
    if (message.payload().size() > route.settings().maxPayloadBytes()) {
      return submit(message); // recorded Rejected as oversized, like any other message
    }
    Instant now = ctx.clock().instant();
    Map<String, String> headers = new HashMap<>(message.headers());
    headers.put(IntakeFilter.HEADER_FILTERED_REASON, reason);
    // Leased to this node, so no stage claims it before it is marked Filtered.
    NewEntry entry =
        new NewEntry(
            EntryId.random(),
            route.id(),
            Direction.UPSTREAM,
            Layer.L1,
            message.payload(),
            headers,
            null,
            traceOf(message),
            message.dedupKey(),
            Entries.PRODUCED_BY_INTAKE,
            new Lease(ctx.nodeId(), now.plus(route.settings().leaseDuration())));
    IntakeResult result = ctx.store().intake(List.of(entry), now).get(0);
    if (events.enabled()) {
      IntakeEvents.created(events, List.of(entry), List.of(result), now);
    }
    if (!result.isDuplicate() && result.entryId().equals(entry.id())) {
      markFiltered(entry, reason);
    }
    return new IntakeReceipt(result.entryId(), entry.traceId(), result.duplicateOf());
  }

  /** Moves a filtered intake to FILTERED; if that fails, the stage does it after the lease. */
  private void markFiltered(NewEntry entry, String reason) {
    Instant at = ctx.clock().instant();
    try {
      CommitResult result =
          ctx.store()
              .commit(
                  List.of(
                      new Completion(
                          entry.id(),
                          ctx.nodeId(),
                          1,
                          Status.FILTERED,
                          reason,
                          null,
                          null,
                          List.of())),
                  at);
      if (events.enabled() && result.applied().contains(entry.id())) {
        events.changed(
            entry.id(),
            entry.traceId(),
            entry.route(),
            entry.direction(),
            entry.layer(),
            Status.JUST_IN,
            Status.FILTERED,
            reason,
            at);
      }
    } catch (RuntimeException e) {
      log.warn(
          "route {}: filtered message {} recorded but not yet marked Filtered ({}); it will be"
              + " when its lease of {} expires",
          route.id(),
          entry.id(),
          e.toString(),
          route.settings().leaseDuration());
    }
  }

  @Override
  public Optional<String> cursor(String name) {
    return ctx.store().cursor(route.id(), Objects.requireNonNull(name, "name cannot be null"));
  }

  @Override
  public List<IntakeReceipt> submitPage(
      List<RawMessage> messages, String cursorName, String expected, String next) {
    CursorUpdate update = new CursorUpdate(route.id(), cursorName, expected, next);
    return store(messages, update);
  }

  @Override
  public List<IntakeReceipt> submitAll(List<RawMessage> messages) {
    return store(messages, null);
  }

  private List<IntakeReceipt> store(List<RawMessage> messages, CursorUpdate cursor) {
    Objects.requireNonNull(messages, "messages cannot be null");
    if (messages.isEmpty() && cursor == null) {
      return List.of();
    }
    int max = route.settings().maxPayloadBytes();
    Refusal[] refused = new Refusal[messages.size()];
    List<Refusal> refusals = new ArrayList<>();
    for (int i = 0; i < messages.size(); i++) {
      RawMessage message =
          Objects.requireNonNull(messages.get(i), "messages[" + i + "] cannot be null");
      if (message.payload().size() > max) {
        refused[i] =
            oversize.refusal(
                message.payload(),
                message.headers(),
                message.dedupKey(),
                traceOf(message),
                Layer.L1,
                Direction.UPSTREAM);
        refusals.add(refused[i]);
      }
    }
    int accepted = messages.size() - refusals.size();
    if (accepted > 0) {
      backlog.check(accepted);
    }
    Instant now = ctx.clock().instant();
    List<IntakeReceipt> receipts;
    // The room not handed over (duplicates, or all of it if the store fails) is given back.
    try (HandOffReservation room = first.reserveHandOff(accepted)) {
      boolean fast = room.isHeld();
      Lease lease =
          fast ? new Lease(ctx.nodeId(), now.plus(route.settings().leaseDuration())) : null;
      List<NewEntry> entries = new ArrayList<>(messages.size());
      for (int i = 0; i < messages.size(); i++) {
        RawMessage message = messages.get(i);
        // An oversized message goes in with its batch or page as an empty stand-in: a page stored
        // again after
        // a failure (a stale cursor, the store down) finds nothing of the first try, so it is
        // recorded once.
        entries.add(
            refused[i] != null
                ? refused[i].standIn()
                : new NewEntry(
                    EntryId.random(),
                    route.id(),
                    Direction.UPSTREAM,
                    Layer.L1,
                    message.payload(),
                    message.headers(),
                    null,
                    traceOf(message),
                    message.dedupKey(),
                    Entries.PRODUCED_BY_INTAKE,
                    lease));
      }
      // Concurrent submits (webhook threads) share store calls; a page with its cursor goes alone.
      List<IntakeResult> results =
          cursor == null ? batcher.intake(entries) : ctx.store().intake(entries, cursor, now);
      if (events.enabled()) {
        IntakeEvents.created(events, entries, results, now); // before the stand-ins' rejection
      }
      rejectStandIns(refusals);
      receipts = new ArrayList<>(results.size());
      for (int i = 0; i < results.size(); i++) {
        IntakeResult result = results.get(i);
        NewEntry entry = entries.get(i);
        if (refused[i] != null) {
          receipts.add(
              new IntakeReceipt(result.entryId(), entry.traceId(), null, refused[i].reason()));
          continue;
        }
        receipts.add(new IntakeReceipt(result.entryId(), entry.traceId(), result.duplicateOf()));
        if (fast && !result.isDuplicate() && result.entryId().equals(entry.id())) {
          room.handOff(Entries.preClaimed(entry, now));
        }
      }
    }
    backlog.added(accepted);
    return receipts;
  }

  /** The trace of a message: its valid traceparent's, else a new one. */
  private TraceId traceOf(RawMessage message) {
    TraceId received = TraceHeaders.received(message.headers(), route.id());
    return received != null ? received : TraceId.random();
  }

  /**
   * Moves the stored stand-ins of refused messages to {@code REJECTED}. The messages beside them
   * are stored already, so a failure here is not the caller's: the stand-ins stay leased to this
   * node, and the stage that claims them after the lease rejects them with the same reason.
   */
  private void rejectStandIns(List<Refusal> refusals) {
    if (refusals.isEmpty()) {
      return;
    }
    try {
      oversize.reject(refusals);
    } catch (RuntimeException e) {
      log.warn(
          "route {}: {} oversized message(s) recorded but not yet marked Rejected ({}); they will be"
              + " when their lease of {} expires",
          route.id(),
          refusals.size(),
          e.toString(),
          route.settings().leaseDuration());
    }
  }
}
