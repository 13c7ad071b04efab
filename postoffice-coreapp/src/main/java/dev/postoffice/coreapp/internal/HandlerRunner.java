package dev.postoffice.coreapp.internal;

import dev.postoffice.RejectedInputException;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreMessageContext;
import dev.postoffice.coreapp.CoreMessageHandler;
import dev.postoffice.coreapp.TransactionalMessageHandler;
import dev.postoffice.model.TraceParent;
import dev.postoffice.spi.Disposition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs the core's handler on a delivery and records the outcome on it: handled, refused for good
 * (the codec or the handler's {@link RejectedInputException}), or failed, to be delivered again.
 * The handler is either a plain one, after which the receiver marks the message in the receipt log,
 * or a transactional one, run inside the log's transaction that marks it.
 *
 * @param <T> the core message type
 */
final class HandlerRunner<T> {
  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  private final String name;
  private final MessageDecoder<T> decoder;
  private final CoreMessageHandler<? super T> handler;

  /** Set instead of {@link #handler} when the handler runs in the receipt log's transaction. */
  private final TransactionalMessageHandler<? super T, Object> transactional;

  private final Receipts receipts;

  HandlerRunner(ReceiverConfig<T> config, Receipts receipts) {
    this.name = receipts.name();
    this.decoder = new MessageDecoder<>(config.codec(), config.type());
    this.handler = config.handler();
    this.transactional = config.transactional();
    this.receipts = receipts;
  }

  /**
   * Whether a message this runner handled is marked in the receipt log already (by the handler's
   * commit).
   */
  boolean marksItself() {
    return transactional != null;
  }

  /**
   * Decodes the delivery's message and runs the core's handler on it: the delivery ends handled,
   * refused or failed.
   *
   * @throws VirtualMachineError from the handler: the thread cannot be trusted to go on
   */
  void run(Delivery delivery) {
    MessageDecoder.Decoded<T> decoded = decoder.decode(delivery);
    if (decoded == null) {
      return;
    }
    String trace = traceId(decoded.context());
    String previous = MDC.get(CoreAppReceiver.MDC_TRACE_ID);
    if (trace != null) {
      MDC.put(CoreAppReceiver.MDC_TRACE_ID, trace);
    }
    try {
      if (transactional != null) {
        runInTransaction(delivery, decoded);
        return;
      }
      try {
        handler.handle(decoded.value(), decoded.context());
      } catch (Exception | Error e) {
        failed(delivery, e);
        return;
      }
      delivery.handled();
    } finally {
      // Put back what the host had under the key (its own tracing may use it), not just remove it.
      if (previous == null) {
        MDC.remove(CoreAppReceiver.MDC_TRACE_ID);
      } else {
        MDC.put(CoreAppReceiver.MDC_TRACE_ID, previous);
      }
    }
  }

  /** PostOffice's trace id; for a message without it, the trace-id of a valid traceparent. */
  private static String traceId(CoreMessageContext context) {
    if (context.traceId() != null) {
      return context.traceId();
    }
    return TraceParent.parse(context.headers().get(TraceParent.HEADER))
        .map(TraceParent::traceId)
        .orElse(null);
  }

  /**
   * Runs the transactional handler through the receipt log's {@code handleOnce}: claim, handler and
   * mark in one transaction. The delivery is handled if the message is handled now, or was before
   * by another receiver.
   */
  private void runInTransaction(Delivery delivery, MessageDecoder.Decoded<T> decoded) {
    try {
      receipts.handleOnce(
          delivery.id(),
          transaction -> transactional.handle(decoded.value(), decoded.context(), transaction));
    } catch (Receipts.WorkFailed e) {
      failed(delivery, e.getCause());
      return;
    }
    delivery.handled();
  }

  /** What a handler's failure makes of its message. */
  private void failed(Delivery delivery, Throwable e) {
    String id = delivery.id();
    if (e instanceof RejectedInputException) {
      delivery.refuse(e.getMessage());
      return;
    }
    if (e instanceof VirtualMachineError vm) {
      // Out of memory or stack: this thread cannot be trusted to go on. The messages handled so far
      // are
      // marked on the way out (BatchReceiver), the transport settles the rest.
      log.error(
          "receiver {}: handler threw {} on message {}; giving the batch back",
          name,
          e.toString(),
          id,
          e);
      throw vm;
    }
    if (e instanceof Error) {
      // An Error from the core's code (an AssertionError, a missing class) fails this message only:
      // the
      // others of its batch stay handled and marked, and this one is delivered again.
      log.error(
          "receiver {}: handler threw {} on message {}; it will be delivered again",
          name,
          e.toString(),
          id,
          e);
      delivery.settle(Disposition.requeue("handler threw " + e));
      return;
    }
    log.warn("receiver {}: handler failed on message {}; it will be delivered again", name, id, e);
    delivery.settle(Disposition.requeue("handler failed: " + e));
  }
}
