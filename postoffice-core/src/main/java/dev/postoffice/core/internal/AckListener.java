package dev.postoffice.core.internal;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Core App's acknowledgements: each layer-4 entry an acknowledgement names ({@link AckMessages}:
 * one in {@link Transport#HEADER_ACK_FOR}, or several in the body) becomes {@code ACKNOWLEDGED}; a malformed
 * acknowledgement is dead-lettered with what is wrong with it. Acknowledgements the transport hands over
 * together are applied together: one
 * {@link dev.postoffice.spi.StatusStore#transitionAll} for all of them (one transaction on a database), and
 * the batches of the transport's concurrent consumer threads are coalesced into one such call while another
 * is running ({@link GroupCommit}), so the cost per acknowledgement falls as the load rises. An
 * acknowledgement may overtake the publisher's own commit, or arrive for an entry already being published
 * again after a timeout; it wins in both cases (the publisher's late commit is then refused by the store's
 * fencing).
 */
final class AckListener implements BatchMessageHandler {
  private static final Logger log = LoggerFactory.getLogger(AckListener.class);
  private static final Set<Status> UNCONFIRMED = EnumSet.of(Status.JUST_IN, Status.RETRYING);
  private static final Set<Status> QUEUED = EnumSet.of(Status.QUEUED);
  private static final String ACKNOWLEDGED = "acknowledged by the Core App";
  /** How long an acknowledgement waits for this node's publisher to record the confirmation. */
  private static final Duration PUBLISHER_PATIENCE = Duration.ofSeconds(2);
  private static final String OVERTAKEN = "the Core App acknowledged before the broker confirmation was recorded";

  /** The most acknowledgements one coalesced store call carries. */
  private static final int MAX_COALESCED = 1_000;

  private final EngineContext ctx;
  private final AckRace race;
  /** The usual case, Queued to Acknowledged, coalesced across the transport's consumer threads. */
  private final GroupCommit<EntryId, Boolean> acknowledgeQueued;

  AckListener(EngineContext ctx, AckRace race) {
    this.ctx = ctx;
    this.race = race;
    this.acknowledgeQueued = new GroupCommit<>(this::moveQueued, MAX_COALESCED);
  }

  @Override
  public List<Disposition> handleAll(List<InboundMessage> messages) {
    List<Disposition> out = new ArrayList<>(messages.size());
    Map<EntryId, List<Integer>> positions = new LinkedHashMap<>();
    for (InboundMessage message : messages) {
      List<EntryId> ackFor;
      try {
        ackFor = AckMessages.read(message);
      } catch (IllegalArgumentException e) {
        log.warn("acknowledgement {} dead-lettered: {}", message.messageId(), e.getMessage());
        out.add(Disposition.deadLetter("acknowledgement " + message.messageId() + " is malformed: "
            + e.getMessage()));
        continue;
      }
      for (EntryId id : ackFor) {
        positions.computeIfAbsent(id, k -> new ArrayList<>()).add(out.size());
      }
      out.add(Disposition.ack());
    }
    if (positions.isEmpty()) {
      return out;
    }
    try {
      apply(positions.keySet());
    } catch (StoreUnavailableException e) {
      Disposition retry = Disposition.requeue("store unavailable: " + e.getMessage());
      positions.values().forEach(at -> at.forEach(i -> out.set(i, retry)));
    }
    return out;
  }

  /** @return the acknowledgement batches waiting to join the next coalesced store call; for tests */
  int waitingToCoalesce() {
    return acknowledgeQueued.waiting();
  }

  /** Queued to Acknowledged for the ids (a list may repeat one, from two callers): whether each one moved. */
  private List<Boolean> moveQueued(List<EntryId> ids) {
    Set<EntryId> moved = ctx.store().transitionAll(new LinkedHashSet<>(ids), QUEUED, Status.ACKNOWLEDGED,
        ACKNOWLEDGED, ctx.clock().instant());
    List<Boolean> out = new ArrayList<>(ids.size());
    ids.forEach(id -> out.add(moved.contains(id)));
    return out;
  }

  private void apply(Set<EntryId> ids) {
    // Usually the publisher has recorded the broker's confirmation already: one store call for all, shared
    // with the other consumer threads' acknowledgements that arrive while one is running.
    List<EntryId> asked = List.copyOf(ids);
    List<Boolean> moved = acknowledgeQueued.run(asked);
    List<EntryId> rest = new ArrayList<>();
    for (int i = 0; i < asked.size(); i++) {
      if (!moved.get(i)) {
        rest.add(asked.get(i));
      }
    }
    if (rest.isEmpty()) {
      return;
    }
    // The Core App can answer before the publisher has recorded the broker's confirmation. If the publisher is
    // this node's and still at it, let it finish: its commit is a few milliseconds away.
    if (race.awaitPublisher(rest, PUBLISHER_PATIENCE)) {
      Set<EntryId> now = ctx.store().transitionAll(rest, QUEUED, Status.ACKNOWLEDGED, ACKNOWLEDGED,
          ctx.clock().instant());
      rest = rest.stream().filter(id -> !now.contains(id)).toList();
      if (rest.isEmpty()) {
        return;
      }
    }
    // Otherwise the answer proves the broker had the message: record Queued first, keep the history complete.
    race.overtook(ctx.store().transitionAll(rest, UNCONFIRMED, Status.QUEUED, OVERTAKEN,
        ctx.clock().instant()));
    // All of them again, not only those this call confirmed: the publisher may have recorded Queued itself
    // between the first call and the one above.
    Set<EntryId> late = ctx.store().transitionAll(rest, QUEUED, Status.ACKNOWLEDGED, ACKNOWLEDGED,
        ctx.clock().instant());
    for (EntryId id : rest) {
      if (!late.contains(id)) {
        if (ctx.store().find(id).isEmpty()) {
          log.warn("acknowledgement for unknown entry {} dropped: no such entry in this store", id);
        } else {
          log.debug("acknowledgement for {} changed nothing (already acknowledged or finished)", id);
        }
      }
    }
  }
}
