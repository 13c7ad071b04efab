package dev.postoffice.coreapp;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.codec.AckMessages;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.coreapp.internal.BatchReceiver;
import dev.postoffice.coreapp.internal.ReceiverConfig;
import dev.postoffice.coreapp.internal.Require;
import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.ReceiptLog;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Core App's side of layer 4 upstream, embedded in the core: consumes a queue PostOffice
 * publishes to, skips message ids its {@link ReceiptLog} has seen, runs the core's handler, records
 * the id, sends the acknowledgement back to PostOffice (which marks the entry {@code
 * ACKNOWLEDGED}), and only then acknowledges the broker. A crash anywhere in between makes the
 * broker deliver again; the log absorbs it. A message already handled is acknowledged as a success
 * again, never retried into a dead letter. Messages the transport delivers together are read from
 * the log with one call, handled one by one, marked with one call (so a crash between a handler and
 * the mark can make the handler run again for the messages of that batch), then one acknowledgement
 * message naming them all is published and awaited (its format: {@link AckMessages}).
 *
 * <p>While the receipt log is unreachable ({@link dev.postoffice.StoreUnavailableException}), the
 * receiver holds the delivery and asks again after pauses of {@link #FIRST_HOLD_PAUSE} doubling up
 * to {@link #MAX_HOLD_PAUSE}. Before the handler ran (reading the log, or handling in its
 * transaction) it holds it for its {@link Builder#receiptLogPatience patience} only (default {@link
 * #DEFAULT_RECEIPT_LOG_PATIENCE}), then gives the delivery back to the broker as a {@link
 * Disposition#release release}, which is not a delivery attempt, pauses its subscription, and
 * resumes it once a probe of the log (same pauses) answers. After the handler ran, a mark is held
 * for as long as the receiver runs, since giving the message back then would run the handler again.
 * Either way an outage of the log never counts toward the broker's delivery limit, so it never
 * dead-letters a good message. Every message the receiver dead-letters is logged at WARN with its
 * id and the reason.
 *
 * <p>Within one receiver, a copy of a message that arrives while the first is still being handled
 * waits for it. With a plain {@link CoreMessageHandler}, across several receiver instances (several
 * Core App nodes), two copies delivered at the same moment can both run the handler, and a crash
 * between the handler and the mark runs it again, because the receipt log is checked before and
 * written after the handler. The default way to receive avoids both: a {@link
 * TransactionalMessageHandler} ({@link Builder#handler(Class, TransactionalMessageHandler)}) runs
 * inside the receipt log's transaction ({@link ReceiptLog#handleOnce}: {@code JdbcReceiptLog}
 * claims the message id, runs the handler with its {@code Connection}, and commits the handler's
 * writes with the receipt).
 *
 * <p>While the handler runs, the message's trace id is in the SLF4J MDC under {@value
 * #MDC_TRACE_ID} (the key PostOffice's own log lines and most tracing libraries use), and what the
 * key held before is put back after it; the W3C {@code traceparent} PostOffice sent is {@link
 * CoreMessageContext#traceparent()}.
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
  /** The MDC key that holds the message's trace id while the handler runs. */
  public static final String MDC_TRACE_ID = "traceId";

  /** How long sending an acknowledgement waits for the broker, unless set. */
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);

  /** The first pause before asking an unreachable receipt log again; each further pause doubles. */
  public static final Duration FIRST_HOLD_PAUSE = Duration.ofMillis(50);

  /** The longest pause between two tries of an unreachable receipt log. */
  public static final Duration MAX_HOLD_PAUSE = Duration.ofSeconds(5);

  /**
   * How long a delivery is held while the receipt log is unreachable before the handler ran, unless
   * set: well under RabbitMQ's default consumer timeout of 30 minutes, past which the broker would
   * take the delivery back itself and count it as a delivery attempt.
   */
  public static final Duration DEFAULT_RECEIPT_LOG_PATIENCE = Duration.ofMinutes(1);

  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  private final Transport transport;
  private final ReceiptLog receipts;
  private final String source;
  private final String name;
  private final String ackDestination;
  private final BatchReceiver<T> batches;
  private Subscription subscription;

  private CoreAppReceiver(ReceiverConfig<T> config) {
    this.transport = config.transport();
    this.receipts = config.receipts();
    this.source = config.source();
    this.name = config.name();
    this.ackDestination = config.ackDestination();
    this.batches = BatchReceiver.create(config);
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
   * Checks the receipt log ({@link ReceiptLog#verify()}), declares the queues and starts consuming.
   * A receipt log that is set up wrong (a JDBC log whose table does not exist under its table
   * prefix) fails here rather than holding every delivery; one that cannot be reached at this
   * moment is logged at WARN and the receiver starts anyway, holding deliveries until it answers.
   *
   * @return this receiver
   * @throws dev.postoffice.ConfigurationException if the receipt log is set up wrong; nothing was
   *     declared or consumed
   * @throws IllegalStateException if it is already started
   */
  public synchronized CoreAppReceiver<T> start() {
    if (subscription != null) {
      throw new IllegalStateException("receiver " + name + " is already started");
    }
    try {
      receipts.verify();
    } catch (StoreUnavailableException e) {
      log.warn(
          "receiver {}: could not check the receipt log at start ({}); starting anyway, deliveries"
              + " wait until it answers",
          name,
          e.getMessage());
    }
    transport.declare(source);
    transport.declare(ackDestination);
    batches.open();
    subscription = transport.subscribe(source, (BatchMessageHandler) this::receiveAll);
    batches.subscribed(subscription);
    return this;
  }

  /**
   * Stops consuming; a message being handled finishes first. Deliveries held while the receipt log
   * is unreachable are given back to the broker at once, and a paused subscription is not resumed.
   */
  @Override
  public synchronized void close() {
    batches.close();
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }

  Disposition receive(InboundMessage message) {
    return receiveAll(List.of(message)).get(0);
  }

  /**
   * Handles messages delivered together: the receipt log is read once for all of them, the core's
   * handler runs for each one not handled before, the ones it handled are marked in the log
   * together, then one acknowledgement message names them all (one publish and one confirmation
   * instead of one per message).
   */
  List<Disposition> receiveAll(List<InboundMessage> messages) {
    return batches.receiveAll(messages);
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
    private Duration receiptLogPatience = DEFAULT_RECEIPT_LOG_PATIENCE;

    /** The longest receiver name: the receipt log's key column. */
    public static final int MAX_NAME_LENGTH = 100;

    private Builder(Transport transport, ReceiptLog receipts, Class<T> type) {
      this.transport = Require.nonNull(transport, "transport");
      this.receipts = Require.nonNull(receipts, "receipts");
      this.type = Require.nonNull(type, "type");
    }

    /**
     * @param queue the queue PostOffice's route publishes to (required) @return this builder
     */
    public Builder<T> from(String queue) {
      this.source = Require.nonBlank(queue, "queue");
      return this;
    }

    /**
     * @param value the receiver's name in the receipt log; default: the queue name @return this
     *     builder
     */
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
     * Sets the core's handler, run before the receipt is marked (a crash between the two runs it
     * again on redelivery; make it idempotent on the message id). Prefer {@link #handler(Class,
     * TransactionalMessageHandler)} with a log on the core's own database. Replaces a transactional
     * handler.
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
     * Sets the core's handler, run inside the receipt log's transaction (effectively once: the
     * handler's writes through the transaction and the receipt commit together, and the log claims
     * the message id first, so two receivers never both run it). The default way to receive with
     * {@code JdbcReceiptLog}, whose transaction is a {@code java.sql.Connection}. Replaces a plain
     * handler.
     *
     * @param transactionType what the handler expects as transaction, such as {@code
     *     Connection.class}
     * @param value the core's handler
     * @param <X> the transaction's type
     * @return this builder
     * @throws IllegalArgumentException if the receipt log gives no transaction of that type
     */
    public <X> Builder<T> handler(
        Class<X> transactionType, TransactionalMessageHandler<? super T, X> value) {
      Require.nonNull(transactionType, "transactionType");
      Require.nonNull(value, "handler");
      Class<?> given = receipts.transactionType();
      if (given == null || !transactionType.isAssignableFrom(given)) {
        throw new IllegalArgumentException(
            "the receipt log "
                + receipts.getClass().getSimpleName()
                + " gives its handlers "
                + (given == null ? "no transaction" : "a " + given.getName())
                + ", not a "
                + transactionType.getName()
                + " [Hint: use dev.postoffice.coreapp.jdbc.JdbcReceiptLog, whose"
                + " transaction is a java.sql.Connection]");
      }
      this.transactional =
          (message, context, transaction) ->
              value.handle(message, context, transactionType.cast(transaction));
      this.handler = null;
      return this;
    }

    /**
     * @param value the codec; default {@link JacksonCodec#create()} @return this builder
     */
    public Builder<T> codec(Codec value) {
      this.codec = Require.nonNull(value, "codec");
      return this;
    }

    /**
     * @param value the clock for receipt times; default UTC system clock @return this builder
     */
    public Builder<T> clock(Clock value) {
      this.clock = Require.nonNull(value, "clock");
      return this;
    }

    /**
     * @param value how long an acknowledgement waits for the broker; default 10 s @return this
     *     builder
     */
    public Builder<T> ackTimeout(Duration value) {
      this.ackTimeout =
          Require.between(value, Duration.ofMillis(1), Duration.ofMinutes(10), "ackTimeout");
      return this;
    }

    /**
     * Sets how long a delivery is held, before its handler ran, while the receipt log is
     * unreachable; then the receiver gives it back to the broker without counting it as a delivery
     * attempt ({@link Disposition#release}), pauses its subscription, and resumes once the log
     * answers. Keep it well under the broker's consumer timeout (RabbitMQ's {@code
     * consumer_timeout}, 30 minutes by default): a delivery held past it is taken back by the
     * broker and counted as a delivery attempt, so a few long outages would dead-letter a good
     * message. A shorter patience gives deliveries back sooner; a longer one rides out short
     * outages without a pause.
     *
     * @param value the patience, between 1 ms and 30 minutes; default {@link
     *     #DEFAULT_RECEIPT_LOG_PATIENCE}
     * @return this builder
     */
    public Builder<T> receiptLogPatience(Duration value) {
      this.receiptLogPatience =
          Require.between(
              value, Duration.ofMillis(1), Duration.ofMinutes(30), "receiptLogPatience");
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
      String consumer = name == null ? source : name;
      // The receipt log keys receipts by this name (VARCHAR(100) in the JDBC log): a longer one
      // would be cut on MariaDB (two receivers sharing receipts) or refused on every delivery.
      if (consumer.length() > MAX_NAME_LENGTH) {
        throw new IllegalArgumentException(
            "name (default: the queue) must be at most "
                + MAX_NAME_LENGTH
                + " characters, the receipt log's key, but was "
                + consumer.length()
                + " [Hint: give a shorter one with name(...)]");
      }
      return new CoreAppReceiver<>(
          new ReceiverConfig<>(
              transport,
              receipts,
              type,
              source,
              name == null ? source : name,
              ackDestination,
              handler,
              transactional,
              codec,
              clock,
              ackTimeout,
              FIRST_HOLD_PAUSE,
              MAX_HOLD_PAUSE,
              receiptLogPatience));
    }
  }
}
