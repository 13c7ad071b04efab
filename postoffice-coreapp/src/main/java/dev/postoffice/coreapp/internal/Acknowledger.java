package dev.postoffice.coreapp.internal;

import dev.postoffice.codec.AckMessages;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells PostOffice what became of a batch's deliveries ({@link AckMessages}) and settles each
 * delivery by the broker's confirmation of the message that names it: a handled message is
 * acknowledged to the broker, a refused one dead-lettered, only once PostOffice has the answer;
 * otherwise it is delivered again.
 */
final class Acknowledger {
  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  private final Transport transport;
  private final String destination;
  private final Duration timeout;
  private final String name;

  Acknowledger(Transport transport, String destination, Duration timeout, String name) {
    this.transport = transport;
    this.destination = destination;
    this.timeout = timeout;
    this.name = name;
  }

  /**
   * Sends the negative acknowledgements, then the acknowledgements, of a batch, and settles the
   * deliveries.
   */
  void settle(List<Delivery> batch) {
    List<Delivery> refused = batch.stream().filter(Delivery::isRefused).toList();
    if (!refused.isEmpty()) {
      tellRefused(refused);
    }
    List<Delivery> handled = batch.stream().filter(Delivery::isHandled).toList();
    if (!handled.isEmpty()) {
      acknowledge(handled);
    }
  }

  /**
   * Sends PostOffice a negative acknowledgement for each message the Core App refused for good
   * (undecodable, or its handler threw {@code RejectedInputException}), so the entry ends Rejected
   * with the reason instead of being published again. The message is dead-lettered once PostOffice
   * has the answer; if the broker does not confirm it, the message is delivered again (and refused
   * again).
   */
  private void tellRefused(List<Delivery> refused) {
    List<OutboundMessage> nacks = new ArrayList<>(refused.size());
    for (Delivery delivery : refused) {
      // The reason without the prefix: PostOffice's side adds it to the entry's last error.
      nacks.add(AckMessages.rejection(delivery.message(), delivery.refusal()));
    }
    List<CompletableFuture<Void>> confirmed = transport.publishAll(destination, nacks);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int r = 0; r < refused.size(); r++) {
      Delivery delivery = refused.get(r);
      Disposition settled = awaitConfirm(confirmed.get(r), deadline);
      if (settled.kind() == Disposition.Kind.ACK) {
        log.warn(
            "receiver {}: message {} dead-lettered (PostOffice told): {}",
            name,
            delivery.id(),
            delivery.disposition().reason());
      } else {
        log.warn(
            "receiver {}: could not tell PostOffice that message {} is refused ({}); it will be delivered"
                + " again",
            name,
            delivery.id(),
            settled.reason());
        delivery.settle(settled);
      }
    }
  }

  /**
   * One acknowledgement message per batch (up to {@link AckMessages#MAX_IDS} ids): one publish and
   * one broker round trip for all of them. Each message is settled by the confirmation of the one
   * that names it.
   */
  private void acknowledge(List<Delivery> handled) {
    List<List<Delivery>> chunks = new ArrayList<>();
    for (int from = 0; from < handled.size(); from += AckMessages.MAX_IDS) {
      chunks.add(handled.subList(from, Math.min(handled.size(), from + AckMessages.MAX_IDS)));
    }
    List<OutboundMessage> acks = new ArrayList<>(chunks.size());
    for (List<Delivery> chunk : chunks) {
      acks.add(AckMessages.forAll(chunk.stream().map(Delivery::message).toList()));
    }
    List<CompletableFuture<Void>> confirmed = transport.publishAll(destination, acks);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int c = 0; c < chunks.size(); c++) {
      Disposition settled = awaitConfirm(confirmed.get(c), deadline);
      chunks.get(c).forEach(delivery -> delivery.settle(settled));
    }
  }

  private static Disposition awaitConfirm(CompletableFuture<Void> confirmed, long deadline) {
    try {
      confirmed.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      return Disposition.ack();
    } catch (ExecutionException | TimeoutException e) {
      // Handled but not acknowledged: deliver again; the receipt log skips the handler next time.
      return Disposition.requeue("acknowledgement not confirmed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Disposition.requeue("interrupted while acknowledging");
    }
  }
}
