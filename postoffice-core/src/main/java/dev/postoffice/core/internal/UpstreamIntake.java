package dev.postoffice.core.internal;

import dev.postoffice.Intake;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The intake of an upstream route: checks backpressure and size, stores the raw messages as {@code JUST_IN}
 * layer-1 entries, and hands the new ones to the normalizer in memory.
 */
final class UpstreamIntake implements Intake {
  static final String PRODUCED_BY = "intake";

  private final RouteDefinition route;
  private final EngineContext ctx;
  private final BacklogGauge backlog;
  private final StageRunner first;
  private final OversizeRecorder oversize;
  private final IntakeBatcher batcher;

  UpstreamIntake(RouteDefinition route, EngineContext ctx, BacklogGauge backlog, StageRunner first) {
    this.route = route;
    this.ctx = ctx;
    this.backlog = backlog;
    this.first = first;
    this.oversize = new OversizeRecorder(route, ctx);
    this.batcher = new IntakeBatcher(ctx.store(), ctx.clock());
  }

  @Override
  public RouteId route() {
    return route.id();
  }

  @Override
  public IntakeReceipt submit(RawMessage message) {
    return submitAll(List.of(Objects.requireNonNull(message, "message cannot be null"))).get(0);
  }

  @Override
  public Optional<String> cursor(String name) {
    return ctx.store().cursor(route.id(), Objects.requireNonNull(name, "name cannot be null"));
  }

  @Override
  public List<IntakeReceipt> submitPage(List<RawMessage> messages, String cursorName, String expected,
      String next) {
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
    if (!messages.isEmpty()) {
      backlog.check(messages.size());
    }
    int max = route.settings().maxPayloadBytes();
    for (int i = 0; i < messages.size(); i++) {
      RawMessage message = Objects.requireNonNull(messages.get(i), "messages[" + i + "] cannot be null");
      if (message.payload().size() > max) {
        String reason = oversize.record(message.payload(), message.headers(), message.dedupKey(),
            TraceId.random(), Layer.L1, Direction.UPSTREAM);
        throw new RejectedInputException((messages.size() > 1 ? "messages[" + i + "]: " : "") + reason);
      }
    }
    Instant now = ctx.clock().instant();
    boolean fast = !messages.isEmpty() && first.reserve(messages.size());
    Lease lease = fast ? new Lease(ctx.nodeId(), now.plus(route.settings().leaseDuration())) : null;
    List<NewEntry> entries = new ArrayList<>(messages.size());
    for (RawMessage message : messages) {
      entries.add(new NewEntry(EntryId.random(), route.id(), Direction.UPSTREAM, Layer.L1, message.payload(),
          message.headers(), null, TraceId.random(), message.dedupKey(), PRODUCED_BY, lease));
    }
    List<IntakeResult> results;
    try {
      // Concurrent submits (webhook threads) share store calls; a page with its cursor goes alone.
      results = cursor == null ? batcher.intake(entries) : ctx.store().intake(entries, cursor, now);
    } catch (RuntimeException e) {
      if (fast) {
        first.unreserve(messages.size());
      }
      throw e;
    }
    List<IntakeReceipt> receipts = new ArrayList<>(results.size());
    int handed = 0;
    for (int i = 0; i < results.size(); i++) {
      IntakeResult result = results.get(i);
      NewEntry entry = entries.get(i);
      receipts.add(new IntakeReceipt(result.entryId(), entry.traceId(), result.duplicateOf()));
      if (fast && !result.isDuplicate() && result.entryId().equals(entry.id())) {
        first.handOff(Entries.preClaimed(entry, now));
        handed++;
      }
    }
    if (fast) {
      first.unreserve(messages.size() - handed);
    }
    backlog.added(messages.size());
    return receipts;
  }
}
