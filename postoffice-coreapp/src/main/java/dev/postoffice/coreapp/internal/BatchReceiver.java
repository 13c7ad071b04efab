package dev.postoffice.coreapp.internal;

import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Subscription;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver's work on the messages a transport delivers together: the receipt log is read once
 * for all of them, the core's handler runs for each one not handled before, the ones it handled are
 * marked in the log together, then PostOffice is told about them all in one acknowledgement message
 * (one publish and one confirmation instead of one per message), and each message is settled with
 * the broker.
 *
 * @param <T> the core message type
 */
public final class BatchReceiver<T> {
  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  private final String name;
  private final ReceiptLogHold hold;
  private final ConsumerPause pause;
  private final Receipts receipts;
  private final HandlerRunner<T> runner;
  private final Acknowledger acknowledger;
  private final DeliveryGates gates = new DeliveryGates();

  private BatchReceiver(ReceiverConfig<T> config) {
    this.name = config.name();
    this.pause = new ConsumerPause(name, config.firstHoldPause(), config.maxHoldPause());
    this.hold =
        new ReceiptLogHold(
            name,
            config.firstHoldPause(),
            config.maxHoldPause(),
            config.receiptLogPatience(),
            pause);
    this.receipts = new Receipts(config.receipts(), name, config.clock(), hold);
    this.runner = new HandlerRunner<>(config, receipts);
    this.acknowledger =
        new Acknowledger(config.transport(), config.ackDestination(), config.ackTimeout(), name);
  }

  /**
   * Returns the batch work of one receiver.
   *
   * @param config the receiver's configuration
   * @param <T> the core message type
   * @return its batch work, with calls to the receipt log not held until {@link #open()}
   */
  public static <T> BatchReceiver<T> create(ReceiverConfig<T> config) {
    return new BatchReceiver<>(config);
  }

  /** The receiver started: calls to an unreachable receipt log are held. */
  public void open() {
    pause.open();
    hold.open();
  }

  /**
   * The receiver's subscription, paused while the receipt log is unreachable.
   *
   * @param subscription what the transport's subscribe returned
   */
  public void subscribed(Subscription subscription) {
    pause.subscribed(subscription);
  }

  /** The receiver closes: held deliveries are given back to the broker at once. */
  public void close() {
    pause.close();
    hold.close();
  }

  /**
   * Handles messages delivered together and says how to settle each with the broker.
   *
   * @param messages the messages
   * @return their dispositions, in the same order
   */
  public List<Disposition> receiveAll(List<InboundMessage> messages) {
    List<Delivery> batch = Delivery.of(messages);
    // Each message's gate is owned by one thread at a time: the messages whose gates this thread
    // takes are
    // handled together; a message whose gate another thread holds (or a repeat within this batch)
    // waits for it
    // afterwards, alone, and then finds it in the log, so the core's handler never runs twice at
    // once.
    Map<String, DeliveryGates.Gate> owned = new LinkedHashMap<>();
    List<Delivery> mine = new ArrayList<>(batch.size());
    List<Delivery> contended = new ArrayList<>(0);
    for (Delivery delivery : batch) {
      DeliveryGates.Gate gate =
          owned.containsKey(delivery.id()) ? null : gates.tryTake(delivery.id());
      if (gate != null) {
        owned.put(delivery.id(), gate);
        mine.add(delivery);
      } else {
        contended.add(delivery);
      }
    }
    try {
      handleTogether(mine);
    } finally {
      // Released before the acknowledgements are sent: sending one twice is harmless.
      owned.values().forEach(gates::release);
    }
    for (Delivery delivery : contended) {
      DeliveryGates.Gate gate = gates.take(delivery.id());
      try {
        handleAlone(delivery);
      } finally {
        gates.release(gate);
      }
    }
    acknowledger.settle(batch);
    return batch.stream().map(Delivery::disposition).toList();
  }

  /**
   * Handles deliveries whose gates this thread holds: one read of the receipt log, the handler for
   * each not handled before, one mark for those it handled.
   */
  private void handleTogether(List<Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    List<String> ids = deliveries.stream().map(Delivery::id).toList();
    Set<String> handledBefore;
    try {
      handledBefore = receipts.handledAmong(ids);
    } catch (ReceiptLogHold.GaveUp e) {
      giveBack(deliveries, e);
      return;
    }
    List<String> handledNow = new ArrayList<>(deliveries.size());
    Throwable escaping = null;
    try {
      for (int i = 0; i < deliveries.size(); i++) {
        Delivery delivery = deliveries.get(i);
        if (handledBefore.contains(delivery.id())) {
          log.debug(
              "receiver {}: message {} already handled; acknowledging again", name, delivery.id());
          delivery.handled();
          continue;
        }
        try {
          runner.run(delivery);
        } catch (ReceiptLogHold.GaveUp e) {
          // Only a handling in the log's transaction gives up, before its handler's writes
          // commit: this message and the ones after it go back; the ones before are handled.
          giveBack(deliveries.subList(i, deliveries.size()), e);
          break;
        }
        if (delivery.isHandled() && !runner.marksItself()) {
          handledNow.add(delivery.id());
        }
      }
    } catch (Throwable e) {
      escaping = e;
      throw e;
    } finally {
      // A message handled is marked handled whatever ends the batch (a VirtualMachineError out of a
      // later
      // handler): otherwise its handler would run again on redelivery.
      try {
        receipts.markAllHandled(handledNow);
      } catch (RuntimeException e) {
        if (escaping == null) {
          throw e;
        }
        escaping.addSuppressed(e);
      }
    }
  }

  /** Handles one delivery on its own, holding its gate. */
  private void handleAlone(Delivery delivery) {
    try {
      if (receipts.isHandled(delivery.id())) {
        log.debug(
            "receiver {}: message {} already handled; acknowledging again", name, delivery.id());
        delivery.handled();
        return;
      }
      runner.run(delivery);
    } catch (ReceiptLogHold.GaveUp e) {
      giveBack(List.of(delivery), e);
      return;
    }
    if (delivery.isHandled() && !runner.marksItself()) {
      receipts.markHandled(delivery.id());
    }
  }

  /**
   * Gives deliveries back to the broker without counting them as delivery attempts, and pauses
   * consumption until the receipt log answers: holding them longer would make the broker take them
   * back itself at its consumer timeout, counted as an attempt each time.
   */
  private void giveBack(List<Delivery> deliveries, ReceiptLogHold.GaveUp e) {
    String firstId = deliveries.get(0).id();
    pause.pause(deliveries.size(), e, () -> receipts.probe(firstId));
    log.debug(
        "receiver {}: giving back {} message(s): {}", name, deliveries.size(), e.getMessage());
    Disposition released =
        Disposition.release("receiver " + name + ": " + e.getMessage() + "; consumption paused");
    deliveries.forEach(delivery -> delivery.settle(released));
  }
}
