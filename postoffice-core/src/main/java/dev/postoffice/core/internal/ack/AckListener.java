package dev.postoffice.core.internal.ack;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.codec.AckMessages;
import dev.postoffice.core.internal.GroupCommit;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Core App's acknowledgements: each layer-4 entry an acknowledgement names ({@link
 * AckMessages}: one in {@link Transport#HEADER_ACK_FOR}, or several in the body) becomes {@code
 * ACKNOWLEDGED}; a malformed acknowledgement is dead-lettered with what is wrong with it. An
 * acknowledgement is taken from every status but {@code SUPERSEDED} ({@link
 * Status#acceptsAcknowledgement()}): one that comes after the entry was given up ({@code FAILED})
 * still records that the Core App has the message, with a history row saying it came late. A
 * negative acknowledgement ({@link AckMessages#rejection}) makes the entry {@code REJECTED} with
 * the Core App's reason as its last error, so it is not published again. Only layer-4 upstream
 * entries are moved: an answer naming any other entry is ignored with a WARN. Acknowledgements the
 * transport hands over together are applied together: one {@link
 * dev.postoffice.spi.StatusStore#transitionAll} for all of them (one transaction on a database),
 * and the batches of the transport's concurrent consumer threads are coalesced into one such call
 * while another is running ({@link GroupCommit}), so the cost per acknowledgement falls as the load
 * rises. An acknowledgement may overtake the publisher's own commit, or arrive for an entry already
 * being published again after a timeout; it wins in both cases (the publisher's late commit is then
 * refused by the store's fencing).
 */
public final class AckListener implements BatchMessageHandler {
  private static final Logger log = LoggerFactory.getLogger(AckListener.class);
  private static final Set<Status> UNCONFIRMED = EnumSet.of(Status.JUST_IN, Status.RETRYING);
  private static final Set<Status> QUEUED = EnumSet.of(Status.QUEUED);

  /**
   * What a negative acknowledgement may move to REJECTED: every status of an entry not yet
   * acknowledged.
   */
  private static final Set<Status> REJECTABLE =
      EnumSet.of(Status.JUST_IN, Status.RETRYING, Status.QUEUED, Status.FAILED);

  private static final String ACKNOWLEDGED = "acknowledged by the Core App";

  /** How long an acknowledgement waits for this node's publisher to record the confirmation. */
  private static final Duration PUBLISHER_PATIENCE = Duration.ofSeconds(2);

  private static final String OVERTAKEN =
      "the Core App acknowledged before the broker confirmation was recorded";

  /**
   * The longest pause of a consumer thread before acknowledgements the store could not take come
   * back.
   */
  static final long MAX_STORE_PAUSE_MILLIS = 5_000;

  /** The most acknowledgements one coalesced store call carries. */
  private static final int MAX_COALESCED = 1_000;

  private final EngineContext ctx;
  private final AckRace race;
  private final PipelineEvents events;
  private final AtomicLong storePauseMillis = new AtomicLong();

  /** The usual case, Queued to Acknowledged, coalesced across the transport's consumer threads. */
  private final GroupCommit<EntryId, Boolean> acknowledgeQueued;

  public AckListener(EngineContext ctx, AckRace race) {
    this.ctx = ctx;
    this.race = race;
    this.events = PipelineEvents.of(ctx);
    this.acknowledgeQueued = new GroupCommit<>(this::moveQueued, MAX_COALESCED);
  }

  @Override
  public List<Disposition> handleAll(List<InboundMessage> messages) {
    events.redelivered(null, ctx.ackDestination(), messages);
    List<Disposition> out = new ArrayList<>(messages.size());
    Map<EntryId, List<Integer>> positions = new LinkedHashMap<>();
    Map<Integer, AckMessages.Rejection> rejections = new LinkedHashMap<>();
    for (InboundMessage message : messages) {
      if (AckMessages.isRejection(message)) {
        try {
          rejections.put(out.size(), AckMessages.readRejection(message));
          out.add(Disposition.ack());
        } catch (IllegalArgumentException e) {
          log.warn(
              "negative acknowledgement {} dead-lettered: {}", message.messageId(), e.getMessage());
          out.add(
              deadLetter(
                  message,
                  "negative acknowledgement "
                      + message.messageId()
                      + " is malformed: "
                      + e.getMessage()));
        }
        continue;
      }
      List<EntryId> ackFor;
      try {
        ackFor = AckMessages.read(message);
      } catch (IllegalArgumentException e) {
        log.warn("acknowledgement {} dead-lettered: {}", message.messageId(), e.getMessage());
        out.add(
            deadLetter(
                message,
                "acknowledgement " + message.messageId() + " is malformed: " + e.getMessage()));
        continue;
      }
      for (EntryId id : ackFor) {
        positions.computeIfAbsent(id, k -> new ArrayList<>()).add(out.size());
      }
      out.add(Disposition.ack());
    }
    StoreUnavailableException unavailable = null;
    if (!positions.isEmpty()) {
      try {
        apply(positions.keySet());
      } catch (StoreUnavailableException e) {
        unavailable = e;
        Disposition later = putBack(e);
        positions.values().forEach(at -> at.forEach(i -> out.set(i, later)));
      }
    }
    for (Map.Entry<Integer, AckMessages.Rejection> r : rejections.entrySet()) {
      try {
        reject(r.getValue());
      } catch (StoreUnavailableException e) {
        unavailable = e;
        out.set(r.getKey(), putBack(e));
      }
    }
    if (unavailable == null) {
      storePauseMillis.set(0);
    } else {
      pauseWhileUnavailable(unavailable);
    }
    return out;
  }

  /** Dead-letters a malformed acknowledgement, and tells the listener (the route is unknown). */
  private Disposition deadLetter(InboundMessage message, String reason) {
    events.deadLettered(null, ctx.ackDestination(), message.messageId(), reason);
    return Disposition.deadLetter(reason);
  }

  /**
   * Puts an acknowledgement back while the store is unavailable: a release, which no transport
   * counts as a delivery, so a long outage of PostOffice's own store cannot dead-letter the Core
   * App's answers.
   */
  private static Disposition putBack(StoreUnavailableException e) {
    return Disposition.release("store unavailable: " + e.getMessage());
  }

  /**
   * Holds the consumer thread before the released acknowledgements come back: 50 ms, doubling to 5
   * s while the store stays unavailable, so a store that fails fast is not asked again in a tight
   * loop.
   */
  private void pauseWhileUnavailable(StoreUnavailableException e) {
    long pause =
        storePauseMillis.updateAndGet(p -> p == 0 ? 50 : Math.min(p * 2, MAX_STORE_PAUSE_MILLIS));
    if (pause == 50) {
      log.warn(
          "acknowledgements put back while the store is unavailable (asking again after pauses of 50 ms"
              + " doubling to {} ms): {}",
          MAX_STORE_PAUSE_MILLIS,
          e.getMessage());
    } else {
      log.debug("acknowledgements put back, the store is still unavailable: {}", e.getMessage());
    }
    try {
      Thread.sleep(pause);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * The Core App refused the message for good: its entry becomes REJECTED with the reason, never
   * republished.
   */
  private void reject(AckMessages.Rejection rejection) {
    EntryId id = rejection.entryId();
    Optional<Entry> entry = upstreamL4(id, "negative acknowledgement");
    if (entry.isEmpty()) {
      return;
    }
    String reason = "rejected by the Core App: " + rejection.reason();
    // As for an acknowledgement: if this node's publisher is still recording the confirmation, let
    // it finish,
    // so its commit is not refused.
    race.awaitPublisher(List.of(id), PUBLISHER_PATIENCE);
    Instant at = ctx.clock().instant();
    Optional<Entry> changed = ctx.store().transition(id, REJECTABLE, Status.REJECTED, reason, at);
    if (changed.isPresent()) {
      AckRace.Queued queued = race.takeQueued(id);
      // The store does not say which of REJECTABLE it moved from: the status read above, or QUEUED
      // when this node's publisher recorded that since (it waited for it).
      Status from = queued != null ? Status.QUEUED : entry.get().status();
      events.moved(changed.get(), from, Status.REJECTED, reason, at);
      log.warn(
          "route {}: entry {} rejected by the Core App: {}",
          entry.get().route(),
          id,
          rejection.reason());
    } else {
      log.warn(
          "negative acknowledgement for entry {} changed nothing: it is {} ({})",
          id,
          ctx.store().find(id).map(Entry::status).orElse(null),
          reason);
    }
  }

  /**
   * Reads an entry an answer of the Core App names: empty, with a WARN, if there is none or it is
   * not a layer-4 upstream entry (only those are published to the Core App; moving any other would
   * corrupt it).
   */
  private Optional<Entry> upstreamL4(EntryId id, String what) {
    Optional<Entry> entry = ctx.store().find(id);
    if (entry.isEmpty()) {
      log.warn("{} for unknown entry {} dropped: no such entry in this store", what, id);
      return Optional.empty();
    }
    Entry e = entry.get();
    if (e.layer() != Layer.L4 || e.direction() != Direction.UPSTREAM) {
      log.warn(
          "{} for entry {} ignored: it is a {} {} entry of route {}, not a layer-4 upstream one",
          what,
          id,
          e.layer(),
          e.direction(),
          e.route());
      return Optional.empty();
    }
    return entry;
  }

  /**
   * @return the acknowledgement batches waiting to join the next coalesced store call; for tests
   */
  int waitingToCoalesce() {
    return acknowledgeQueued.waiting();
  }

  /**
   * Queued to Acknowledged for the ids (a list may repeat one, from two callers): whether each one
   * moved.
   */
  private List<Boolean> moveQueued(List<EntryId> ids) {
    Instant at = ctx.clock().instant();
    Set<EntryId> moved =
        ctx.store()
            .transitionAll(new LinkedHashSet<>(ids), QUEUED, Status.ACKNOWLEDGED, ACKNOWLEDGED, at);
    acknowledged(moved, Status.QUEUED, ACKNOWLEDGED, Map.of(), null, at);
    List<Boolean> out = new ArrayList<>(ids.size());
    ids.forEach(id -> out.add(moved.contains(id)));
    return out;
  }

  /**
   * Tells the listener of entries the store moved to ACKNOWLEDGED: the status change, and the
   * delivery. What it needs of each entry comes from what this node's publisher remembered ({@link
   * AckRace#queued}), else from {@code read}, else (another node published it, or the memory was
   * full) from the store: one read per such entry, only with a listener.
   *
   * @param from the status they moved from (transitionAll was asked to move only from it)
   * @param queuedAt when they became QUEUED if this node's publisher did not record it, or null
   */
  private void acknowledged(
      Set<EntryId> moved,
      Status from,
      String detail,
      Map<EntryId, Entry> read,
      Instant queuedAt,
      Instant at) {
    if (!events.enabled() || moved.isEmpty()) {
      return;
    }
    List<EntryId> unknown = null;
    for (EntryId id : moved) {
      AckRace.Queued queued = race.takeQueued(id);
      if (queued != null) {
        tellAcknowledged(queued.entry(), from, detail, queuedAt(queued, from, queuedAt), at);
      } else {
        unknown = unknown == null ? new ArrayList<>() : unknown;
        unknown.add(id);
      }
    }
    if (unknown == null) {
      return;
    }
    // This node's publisher may have committed QUEUED and not yet told the listener (it does right
    // after its commit): wait for it, so that each entry's events come in the order of its history.
    race.awaitPublisher(unknown, PUBLISHER_PATIENCE);
    for (EntryId id : unknown) {
      AckRace.Queued queued = race.takeQueued(id);
      Entry e = queued != null ? queued.entry() : read.get(id);
      if (e == null) {
        e = ctx.store().find(id).orElse(null);
        if (e == null) {
          continue; // purged meanwhile: nothing to tell
        }
      }
      tellAcknowledged(e, from, detail, queuedAt(queued, from, queuedAt), at);
    }
  }

  private static Instant queuedAt(AckRace.Queued queued, Status from, Instant otherwise) {
    return queued != null && from == Status.QUEUED ? queued.at() : otherwise;
  }

  private void tellAcknowledged(Entry e, Status from, String detail, Instant queuedAt, Instant at) {
    events.moved(e, from, Status.ACKNOWLEDGED, detail, at);
    events.delivered(e.id(), e.traceId(), e.route(), e.direction(), queuedAt, at);
  }

  private void apply(Set<EntryId> ids) {
    // Usually the publisher has recorded the broker's confirmation already: one store call for all,
    // shared
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
    // The Core App can answer before the publisher has recorded the broker's confirmation. If the
    // publisher is
    // this node's and still at it, let it finish: its commit is a few milliseconds away.
    if (race.awaitPublisher(rest, PUBLISHER_PATIENCE)) {
      Instant at = ctx.clock().instant();
      Set<EntryId> now =
          ctx.store().transitionAll(rest, QUEUED, Status.ACKNOWLEDGED, ACKNOWLEDGED, at);
      acknowledged(now, Status.QUEUED, ACKNOWLEDGED, Map.of(), null, at);
      rest = rest.stream().filter(id -> !now.contains(id)).toList();
      if (rest.isEmpty()) {
        return;
      }
    }
    // The rest are not Queued (only layer-4 upstream entries ever are): read each one, and move
    // only
    // layer-4 upstream entries. Rare: an answer that overtook the publisher, a late one, or a wrong
    // id.
    Map<Status, List<EntryId>> byStatus = new EnumMap<>(Status.class);
    Map<EntryId, Entry> read = new HashMap<>();
    for (EntryId id : rest) {
      upstreamL4(id, "acknowledgement")
          .ifPresent(
              e -> {
                read.put(id, e);
                byStatus.computeIfAbsent(e.status(), s -> new ArrayList<>()).add(id);
              });
    }
    List<EntryId> unconfirmed = new ArrayList<>();
    UNCONFIRMED.forEach(s -> unconfirmed.addAll(byStatus.getOrDefault(s, List.of())));
    unconfirmed.addAll(byStatus.getOrDefault(Status.QUEUED, List.of()));
    if (!unconfirmed.isEmpty()) {
      // The answer proves the broker had the message: record Queued first, keep the history
      // complete.
      Instant confirmedAt = ctx.clock().instant();
      Set<EntryId> confirmed =
          ctx.store()
              .transitionAll(unconfirmed, UNCONFIRMED, Status.QUEUED, OVERTAKEN, confirmedAt);
      race.overtook(confirmed);
      if (events.enabled()) {
        for (EntryId id : confirmed) {
          // The store does not say which of UNCONFIRMED applied: the status read above, which a
          // republish (QUEUED back to JUST_IN) may have changed since.
          Entry e = read.get(id);
          Status from = UNCONFIRMED.contains(e.status()) ? e.status() : Status.JUST_IN;
          events.moved(e, from, Status.QUEUED, OVERTAKEN, confirmedAt);
        }
      }
      // All of them again, not only those this call confirmed: the publisher may have recorded
      // Queued itself
      // between the calls above.
      Instant at = ctx.clock().instant();
      Set<EntryId> acked =
          ctx.store().transitionAll(unconfirmed, QUEUED, Status.ACKNOWLEDGED, ACKNOWLEDGED, at);
      acknowledged(
          acked, Status.QUEUED, ACKNOWLEDGED, read, confirmed.isEmpty() ? null : confirmedAt, at);
    }
    for (Status given : EnumSet.of(Status.FAILED, Status.REJECTED)) {
      List<EntryId> late = byStatus.getOrDefault(given, List.of());
      if (late.isEmpty()) {
        continue;
      }
      // The store decides, and the Core App has the message: take its answer, however late.
      String detail = ACKNOWLEDGED + " late, after " + given.displayName();
      Instant at = ctx.clock().instant();
      Set<EntryId> taken =
          ctx.store().transitionAll(late, EnumSet.of(given), Status.ACKNOWLEDGED, detail, at);
      acknowledged(taken, given, detail, read, null, at);
      if (!taken.isEmpty()) {
        log.info(
            "{} entries acknowledged by the Core App after they were {}, first {}",
            taken.size(),
            given.displayName(),
            taken.iterator().next());
      }
    }
    byStatus.forEach(
        (status, named) -> {
          if (!status.acceptsAcknowledgement()) {
            log.debug(
                "acknowledgement for {} entries changed nothing: they are {}",
                named.size(),
                status);
          }
        });
  }
}
