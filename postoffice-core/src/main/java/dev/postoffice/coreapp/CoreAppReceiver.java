package dev.postoffice.coreapp;

import dev.postoffice.RejectedInputException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.codec.JacksonCodec;
import dev.postoffice.coreapp.internal.Require;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.AckMessages;
import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.ReceiptLog;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Core App's side of layer 4 upstream, embedded in the core: consumes a queue PostOffice publishes to,
 * skips message ids its {@link ReceiptLog} has seen, runs the core's handler, records the id, sends the
 * acknowledgement back to PostOffice (which marks the entry {@code ACKNOWLEDGED}), and only then
 * acknowledges the broker. A crash anywhere in between makes the broker deliver again; the log absorbs it.
 * A message already handled is acknowledged as a success again, never retried into a dead letter. Messages the
 * transport delivers together are read from the log with one call, handled one by one, marked with one call
 * (so a crash between a handler and the mark can make the handler run again for the messages of that batch),
 * then one acknowledgement message naming them all is published and awaited (its format: docs/concepts.md).
 *
 * <p>While the receipt log is unreachable ({@link dev.postoffice.StoreUnavailableException}), the receiver
 * holds the delivery and asks again after pauses of {@link #FIRST_HOLD_PAUSE} doubling up to
 * {@link #MAX_HOLD_PAUSE}, for as long as it runs: an outage of the log never counts toward the broker's
 * delivery limit, so it never dead-letters a good message (an outage longer than the broker's own consumer
 * timeout, 30 minutes on RabbitMQ by default, makes the broker take the delivery back). Every message the
 * receiver dead-letters is logged at WARN with its id and the reason.
 *
 * <p>Within one receiver, a copy of a message that arrives while the first is still being handled waits for
 * it. With a plain {@link CoreMessageHandler}, across several receiver instances (several Core App nodes), two
 * copies delivered at the same moment can both run the handler, and a crash between the handler and the mark
 * runs it again, because the receipt log is checked before and written after the handler. The default way to
 * receive avoids both: a {@link TransactionalMessageHandler} ({@link Builder#handler(Class,
 * TransactionalMessageHandler)}) runs inside the receipt log's transaction ({@link ReceiptLog#handleOnce}:
 * {@code JdbcReceiptLog} claims the message id, runs the handler with its {@code Connection}, and commits the
 * handler's writes with the receipt).
 *
 * <pre>{@code
 * CoreAppReceiver<OrderPlaced> receiver = CoreAppReceiver.builder(transport, receiptLog, OrderPlaced.class)
 *     .from("core.orders")
 *     .handler((order, context) -> orders.place(order))
 *     .build();
 * receiver.start();
 * }</pre>
 *
 * @param <T> the core message type
 */
public final class CoreAppReceiver<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  /** How long sending an acknowledgement waits for the broker, unless set. */
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);

  /** The first pause before asking an unreachable receipt log again; each further pause doubles. */
  public static final Duration FIRST_HOLD_PAUSE = Duration.ofMillis(50);

  /** The longest pause between two tries of an unreachable receipt log. */
  public static final Duration MAX_HOLD_PAUSE = Duration.ofSeconds(5);

  /** How the dead letters of messages the Core App refused begin (and the entry's last error in PostOffice). */
  private static final String REFUSED = "rejected by the Core App: ";

  private final Transport transport;
  private final ReceiptLog receipts;
  private final Class<T> type;
  private final String source;
  private final String name;
  private final String ackDestination;
  private final CoreMessageHandler<? super T> handler;
  /** Set instead of {@link #handler} when the handler runs in the receipt log's transaction. */
  private final TransactionalMessageHandler<? super T, Object> transactional;
  private final Codec codec;
  private final Clock clock;
  private final Duration ackTimeout;
  private final ConcurrentHashMap<String, CountDownLatch> inFlight = new ConcurrentHashMap<>();
  /** Holds deliveries while the receipt log is unreachable. */
  private final ReceiptLogHold hold;
  private Subscription subscription;

  private CoreAppReceiver(Builder<T> b) {
    this.transport = b.transport;
    this.receipts = b.receipts;
    this.type = b.type;
    this.source = b.source;
    this.name = b.name == null ? b.source : b.name;
    this.ackDestination = b.ackDestination;
    this.handler = b.handler;
    this.transactional = b.transactional;
    this.codec = b.codec;
    this.clock = b.clock;
    this.ackTimeout = b.ackTimeout;
    this.hold = new ReceiptLogHold(this.name, FIRST_HOLD_PAUSE, MAX_HOLD_PAUSE);
  }

  /**
   * Starts describing a receiver.
   *
   * @param transport the transport PostOffice publishes on
   * @param receipts the log of handled message ids
   * @param type the core message type
   * @param <T> the type
   * @return a new builder
   */
  public static <T> Builder<T> builder(Transport transport, ReceiptLog receipts, Class<T> type) {
    return new Builder<>(transport, receipts, type);
  }

  /**
   * Declares the queues and starts consuming.
   *
   * @return this receiver
   */
  public synchronized CoreAppReceiver<T> start() {
    if (subscription != null) {
      throw new IllegalStateException("receiver " + name + " is already started");
    }
    transport.declare(source);
    transport.declare(ackDestination);
    hold.open();
    subscription = transport.subscribe(source, (BatchMessageHandler) this::receiveAll);
    return this;
  }

  /**
   * Stops consuming; a message being handled finishes first. Deliveries held while the receipt log is
   * unreachable are given back to the broker at once.
   */
  @Override
  public synchronized void close() {
    hold.close();
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }

  Disposition receive(InboundMessage message) {
    return receiveAll(List.of(message)).get(0);
  }

  /**
   * Handles messages delivered together: the receipt log is read once for all of them, the core's handler
   * runs for each one not handled before, the ones it handled are marked in the log together, then one
   * acknowledgement message names them all (one publish and one confirmation instead of one per message).
   */
  List<Disposition> receiveAll(List<InboundMessage> messages) {
    Disposition[] out = new Disposition[messages.size()];
    boolean[] acknowledge = new boolean[messages.size()];
    // A broker may hand a message to this receiver again while its first delivery is still being handled (an
    // expired SQS visibility timeout, a redelivery after a dropped connection). Each message's gate is owned
    // by one thread at a time: the messages whose gates this thread takes are handled together; a message
    // whose gate another thread holds (or a repeat within this batch) waits for it afterwards, alone, and then
    // finds it in the log, so the core's handler never runs twice at once.
    Map<String, CountDownLatch> owned = new HashMap<>();
    List<Integer> mine = new ArrayList<>(messages.size());
    List<Integer> contended = new ArrayList<>(0);
    for (int i = 0; i < messages.size(); i++) {
      String id = messages.get(i).messageId();
      CountDownLatch gate = new CountDownLatch(1);
      if (!owned.containsKey(id) && inFlight.putIfAbsent(id, gate) == null) {
        owned.put(id, gate);
        mine.add(i);
      } else {
        contended.add(i);
      }
    }
    try {
      handleTogether(messages, mine, out, acknowledge);
    } finally {
      // Released before the acknowledgements are sent: sending one twice is harmless.
      owned.forEach((id, gate) -> {
        inFlight.remove(id, gate);
        gate.countDown();
      });
    }
    for (int i : contended) {
      out[i] = handleOnce(messages.get(i));
      acknowledge[i] = out[i] == null;
    }
    List<Integer> toAcknowledge = new ArrayList<>(messages.size());
    List<Integer> refused = new ArrayList<>(0);
    for (int i = 0; i < acknowledge.length; i++) {
      if (acknowledge[i]) {
        toAcknowledge.add(i);
      } else if (out[i].kind() == Disposition.Kind.DEAD_LETTER) {
        refused.add(i);
      }
    }
    if (!refused.isEmpty()) {
      tellRefused(messages, refused, out);
    }
    if (!toAcknowledge.isEmpty()) {
      // One acknowledgement message per batch (up to AckMessages.MAX_IDS ids): one publish and one broker
      // round trip for all of them. Each message is settled by the confirmation of the one that names it.
      List<List<Integer>> chunks = new ArrayList<>();
      for (int from = 0; from < toAcknowledge.size(); from += AckMessages.MAX_IDS) {
        chunks.add(toAcknowledge.subList(from, Math.min(toAcknowledge.size(), from + AckMessages.MAX_IDS)));
      }
      List<OutboundMessage> acks = new ArrayList<>(chunks.size());
      for (List<Integer> chunk : chunks) {
        acks.add(AckMessages.forAll(chunk.stream().map(messages::get).toList()));
      }
      List<CompletableFuture<Void>> confirmed = transport.publishAll(ackDestination, acks);
      long deadline = System.nanoTime() + ackTimeout.toNanos();
      for (int c = 0; c < chunks.size(); c++) {
        Disposition settled = awaitConfirm(confirmed.get(c), deadline);
        chunks.get(c).forEach(i -> out[i] = settled);
      }
    }
    return Arrays.asList(out);
  }

  /**
   * Sends PostOffice a negative acknowledgement for each message the Core App refused for good (undecodable,
   * or its handler threw {@link RejectedInputException}), so the entry ends Rejected with the reason instead of
   * being published again. The message is dead-lettered once PostOffice has the answer; if the broker does not
   * confirm it, the message is delivered again (and refused again).
   */
  private void tellRefused(List<InboundMessage> messages, List<Integer> refused, Disposition[] out) {
    List<OutboundMessage> nacks = new ArrayList<>(refused.size());
    for (int i : refused) {
      // The reason without the prefix: PostOffice's side adds it to the entry's last error.
      nacks.add(AckMessages.rejection(messages.get(i), out[i].reason().substring(REFUSED.length())));
    }
    List<CompletableFuture<Void>> confirmed = transport.publishAll(ackDestination, nacks);
    long deadline = System.nanoTime() + ackTimeout.toNanos();
    for (int r = 0; r < refused.size(); r++) {
      int i = refused.get(r);
      Disposition settled = awaitConfirm(confirmed.get(r), deadline);
      if (settled.kind() == Disposition.Kind.ACK) {
        log.warn("receiver {}: message {} dead-lettered (PostOffice told): {}", name,
            messages.get(i).messageId(), out[i].reason());
      } else {
        log.warn("receiver {}: could not tell PostOffice that message {} is refused ({}); it will be delivered"
            + " again", name, messages.get(i).messageId(), settled.reason());
        out[i] = settled;
      }
    }
  }

  /**
   * Handles the messages at {@code indexes}, whose gates this thread holds: one read of the receipt log, the
   * handler for each not handled before, one mark for those it handled. Sets {@code acknowledge[i]} for the
   * messages handled (now or before), else {@code out[i]}.
   */
  private void handleTogether(List<InboundMessage> messages, List<Integer> indexes, Disposition[] out,
      boolean[] acknowledge) {
    if (indexes.isEmpty()) {
      return;
    }
    List<String> ids = new ArrayList<>(indexes.size());
    indexes.forEach(i -> ids.add(messages.get(i).messageId()));
    Set<String> handledBefore = hold.call("reading", ids, () -> receipts.handledAmong(name, ids));
    List<String> handledNow = new ArrayList<>(indexes.size());
    Throwable escaping = null;
    try {
      for (int i : indexes) {
        InboundMessage message = messages.get(i);
        if (handledBefore.contains(message.messageId())) {
          log.debug("receiver {}: message {} already handled; acknowledging again", name, message.messageId());
          acknowledge[i] = true;
          continue;
        }
        Disposition failed = runHandler(message);
        if (failed == null) {
          if (transactional == null) {
            handledNow.add(message.messageId()); // the transactional handler's commit marked it already
          }
          acknowledge[i] = true;
        } else {
          out[i] = failed;
        }
      }
    } catch (Throwable e) {
      escaping = e;
      throw e;
    } finally {
      // A message handled is marked handled whatever ends the batch (a VirtualMachineError out of a later
      // handler): otherwise its handler would run again on redelivery.
      try {
        mark(handledNow);
      } catch (RuntimeException e) {
        if (escaping == null) {
          throw e;
        }
        escaping.addSuppressed(e);
      }
    }
  }

  /**
   * Marks handled messages in the log, together. If that fails, one by one: a failure then costs a second run
   * of the handler (on redelivery) for the messages whose own mark failed, not for the whole batch.
   */
  private void mark(List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    try {
      hold.call("marking", ids, () -> {
        receipts.markAllHandled(name, ids, now);
        return null;
      });
    } catch (StoreUnavailableException e) {
      throw e; // closing while the log is unreachable: nothing else will reach it either
    } catch (RuntimeException e) {
      log.warn("receiver {}: marking {} messages handled together failed, marking them one by one: {}", name,
          ids.size(), e.toString());
      for (String id : ids) {
        hold.call("marking", List.of(id), () -> {
          receipts.markHandled(name, id, now);
          return null;
        });
      }
    }
  }

  /**
   * Handles one message on its own once no other thread is handling it. Returns null when the message is
   * handled (now or before) and needs its acknowledgement sent, else the disposition to settle it with.
   */
  private Disposition handleOnce(InboundMessage message) {
    String id = message.messageId();
    boolean interrupted = false;
    try {
      while (true) {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch other = inFlight.putIfAbsent(id, gate);
        if (other == null) {
          try {
            return handleAlone(message);
          } finally {
            inFlight.remove(id, gate);
            gate.countDown();
          }
        }
        try {
          other.await();
        } catch (InterruptedException e) {
          interrupted = true; // finish this message first: its delivery is already ours
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Disposition handleAlone(InboundMessage message) {
    String id = message.messageId();
    if (hold.call("reading", List.of(id), () -> receipts.isHandled(name, id))) {
      log.debug("receiver {}: message {} already handled; acknowledging again", name, id);
      return null;
    }
    Disposition failed = runHandler(message);
    if (failed == null && transactional == null) {
      Instant now = clock.instant();
      hold.call("marking", List.of(id), () -> {
        receipts.markHandled(name, id, now);
        return null;
      });
    }
    return failed;
  }

  /** Decodes a message and runs the core's handler: null if it handled the message, else the disposition. */
  private Disposition runHandler(InboundMessage message) {
    String id = message.messageId();
    T value;
    try {
      // Only read, and only during this call: no copy of the body.
      value = codec.decode(Payload.wrap(message.body(), message.contentType()), type);
    } catch (RejectedInputException e) {
      return Disposition.deadLetter(REFUSED + "undecodable: " + e.getMessage());
    }
    CoreMessageContext context = new CoreMessageContext(id, message.headers().get(Transport.HEADER_TRACE_ID),
        message.headers().get(Transport.HEADER_ROUTE), message.headers());
    if (transactional != null) {
      return runInTransaction(id, value, context);
    }
    try {
      handler.handle(value, context);
    } catch (Exception | Error e) {
      return failure(id, e);
    }
    return null;
  }

  /**
   * Runs the transactional handler through {@link ReceiptLog#handleOnce}: claim, handler and mark in one
   * transaction of the log. Null if the message is handled (now, or before by another receiver).
   */
  private Disposition runInTransaction(String id, T value, CoreMessageContext context) {
    Instant now = clock.instant();
    try {
      // An unreachable log is held and asked again like any other call; the handler's own failures are not.
      hold.call("handling", List.of(id), () -> {
        try {
          return receipts.handleOnce(name, id, now, transaction -> {
            try {
              transactional.handle(value, context, transaction);
            } catch (Exception | Error e) {
              throw new HandlerFailed(e);
            }
          });
        } catch (RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new HandlerFailed(e); // a checked exception can only come from the work
        }
      });
    } catch (HandlerFailed e) {
      return failure(id, e.getCause());
    }
    return null;
  }

  /** Carries the handler's own failure through the receipt log's transaction, apart from the log's. */
  private static final class HandlerFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HandlerFailed(Throwable cause) {
      super(cause);
    }
  }

  /** What a handler's failure makes of its message. */
  private Disposition failure(String id, Throwable e) {
    if (e instanceof RejectedInputException) {
      return Disposition.deadLetter(REFUSED + e.getMessage());
    }
    if (e instanceof VirtualMachineError vm) {
      // Out of memory or stack: this thread cannot be trusted to go on. The messages handled so far are
      // marked on the way out (handleTogether), the transport settles the rest.
      log.error("receiver {}: handler threw {} on message {}; giving the batch back", name, e.toString(), id, e);
      throw vm;
    }
    if (e instanceof Error) {
      // An Error from the core's code (an AssertionError, a missing class) fails this message only: the
      // others of its batch stay handled and marked, and this one is delivered again.
      log.error("receiver {}: handler threw {} on message {}; it will be delivered again", name, e.toString(),
          id, e);
      return Disposition.requeue("handler threw " + e);
    }
    log.warn("receiver {}: handler failed on message {}; it will be delivered again", name, id, e);
    return Disposition.requeue("handler failed: " + e);
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

  /**
   * Builds a {@link CoreAppReceiver}. Not thread-safe.
   *
   * @param <T> the core message type
   */
  public static final class Builder<T> {
    private final Transport transport;
    private final ReceiptLog receipts;
    private final Class<T> type;
    private String source;
    private String name;
    private String ackDestination = AckMessages.DEFAULT_DESTINATION;
    private CoreMessageHandler<? super T> handler;
    private TransactionalMessageHandler<? super T, Object> transactional;
    private Codec codec = JacksonCodec.create();
    private Clock clock = Clock.systemUTC();
    private Duration ackTimeout = DEFAULT_ACK_TIMEOUT;

    private Builder(Transport transport, ReceiptLog receipts, Class<T> type) {
      this.transport = Require.nonNull(transport, "transport");
      this.receipts = Require.nonNull(receipts, "receipts");
      this.type = Require.nonNull(type, "type");
    }

    /** @param queue the queue PostOffice's route publishes to (required) @return this builder */
    public Builder<T> from(String queue) {
      this.source = Require.nonBlank(queue, "queue");
      return this;
    }

    /** @param value the receiver's name in the receipt log; default: the queue name @return this builder */
    public Builder<T> name(String value) {
      this.name = Require.nonBlank(value, "name");
      return this;
    }

    /**
     * @param value where acknowledgements go; default {@value AckMessages#DEFAULT_DESTINATION}
     * @return this builder
     */
    public Builder<T> ackDestination(String value) {
      this.ackDestination = Require.nonBlank(value, "ackDestination");
      return this;
    }

    /**
     * Sets the core's handler, run before the receipt is marked (a crash between the two runs it again on
     * redelivery; make it idempotent on the message id). Prefer {@link #handler(Class,
     * TransactionalMessageHandler)} with a log on the core's own database. Replaces a transactional handler.
     *
     * @param value the core's handler
     * @return this builder
     */
    public Builder<T> handler(CoreMessageHandler<? super T> value) {
      this.handler = Require.nonNull(value, "handler");
      this.transactional = null;
      return this;
    }

    /**
     * Sets the core's handler, run inside the receipt log's transaction (effectively once: the handler's writes
     * through the transaction and the receipt commit together, and the log claims the message id first, so two
     * receivers never both run it). The default way to receive with {@code JdbcReceiptLog}, whose transaction
     * is a {@code java.sql.Connection}. Replaces a plain handler.
     *
     * @param transactionType what the handler expects as transaction, such as {@code Connection.class}
     * @param value the core's handler
     * @param <X> the transaction's type
     * @return this builder
     * @throws IllegalArgumentException if the receipt log gives no transaction of that type
     */
    public <X> Builder<T> handler(Class<X> transactionType, TransactionalMessageHandler<? super T, X> value) {
      Require.nonNull(transactionType, "transactionType");
      Require.nonNull(value, "handler");
      Class<?> given = receipts.transactionType();
      if (given == null || !transactionType.isAssignableFrom(given)) {
        throw new IllegalArgumentException("the receipt log " + receipts.getClass().getSimpleName()
            + " gives its handlers " + (given == null ? "no transaction" : "a " + given.getName()) + ", not a "
            + transactionType.getName() + " [Hint: use JdbcReceiptLog from postoffice-jdbc-store, whose"
            + " transaction is a java.sql.Connection]");
      }
      this.transactional = (message, context, transaction) ->
          value.handle(message, context, transactionType.cast(transaction));
      this.handler = null;
      return this;
    }

    /** @param value the codec; default {@link JacksonCodec#create()} @return this builder */
    public Builder<T> codec(Codec value) {
      this.codec = Require.nonNull(value, "codec");
      return this;
    }

    /** @param value the clock for receipt times; default UTC system clock @return this builder */
    public Builder<T> clock(Clock value) {
      this.clock = Require.nonNull(value, "clock");
      return this;
    }

    /** @param value how long an acknowledgement waits for the broker; default 10 s @return this builder */
    public Builder<T> ackTimeout(Duration value) {
      this.ackTimeout = Require.between(value, Duration.ofMillis(1), Duration.ofMinutes(10), "ackTimeout");
      return this;
    }

    /**
     * Builds the receiver (not started).
     *
     * @return the receiver
     * @throws NullPointerException if the queue or the handler is missing
     */
    public CoreAppReceiver<T> build() {
      Require.nonNull(source, "queue (call from(...))");
      if (transactional == null) {
        Require.nonNull(handler, "handler");
      }
      return new CoreAppReceiver<>(this);
    }
  }
}
