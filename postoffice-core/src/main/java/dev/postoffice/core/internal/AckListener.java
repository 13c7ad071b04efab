package dev.postoffice.core.internal;

import dev.postoffice.NoSuchEntryException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.Transport;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Core App's acknowledgements: the layer-4 entry named by {@link Transport#HEADER_ACK_FOR}
 * becomes {@code ACKNOWLEDGED}. An acknowledgement may overtake the publisher's own commit, or arrive for an
 * entry already being published again after a timeout; it wins in both cases (the publisher's late commit is
 * then refused by the store's fencing).
 */
final class AckListener implements MessageHandler {
  private static final Logger log = LoggerFactory.getLogger(AckListener.class);
  private static final Set<Status> UNCONFIRMED = EnumSet.of(Status.JUST_IN, Status.RETRYING);
  private static final Set<Status> QUEUED = EnumSet.of(Status.QUEUED);
  private static final String ACKNOWLEDGED = "acknowledged by the Core App";
  private static final String OVERTAKEN = "the Core App acknowledged before the broker confirmation was recorded";

  private final EngineContext ctx;

  AckListener(EngineContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public Disposition handle(InboundMessage message) {
    String ackFor = message.headers().get(Transport.HEADER_ACK_FOR);
    if (ackFor == null || ackFor.isBlank() || ackFor.length() > EntryId.MAX_LENGTH) {
      return Disposition.deadLetter("acknowledgement " + message.messageId() + " has no valid "
          + Transport.HEADER_ACK_FOR + " header");
    }
    try {
      EntryId id = EntryId.of(ackFor);
      // Usually the publisher has recorded the broker's confirmation already: one store call.
      boolean moved = ctx.store().transition(id, QUEUED, Status.ACKNOWLEDGED, ACKNOWLEDGED,
          ctx.clock().instant()).isPresent();
      if (!moved) {
        // The Core App can answer before the publisher has recorded the broker's confirmation; the answer
        // proves the broker had the message, so record Queued first and keep the history complete.
        ctx.store().transition(id, UNCONFIRMED, Status.QUEUED, OVERTAKEN, ctx.clock().instant());
        moved = ctx.store().transition(id, QUEUED, Status.ACKNOWLEDGED, ACKNOWLEDGED, ctx.clock().instant())
            .isPresent();
      }
      if (!moved) {
        log.debug("acknowledgement for {} changed nothing (already acknowledged or finished)", ackFor);
      }
      return Disposition.ack();
    } catch (NoSuchEntryException e) {
      log.warn("acknowledgement for unknown entry {} dropped: no such entry in this store", ackFor);
      return Disposition.ack();
    } catch (StoreUnavailableException e) {
      return Disposition.requeue("store unavailable: " + e.getMessage());
    }
  }
}
