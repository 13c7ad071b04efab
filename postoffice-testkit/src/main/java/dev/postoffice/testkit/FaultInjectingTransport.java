package dev.postoffice.testkit;

import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Transport} that wraps another and injects the faults real brokers have, driven by a
 * seeded {@link Random} so a failing test fails the same way again:
 *
 * <ul>
 *   <li><b>lost confirms</b>: the message is delivered, but the publish future fails with an {@link
 *       InjectedFaultException} (the confirm got lost), so the sender publishes it again;
 *   <li><b>duplicates</b>: the message is published twice with the same id;
 *   <li><b>redeliveries</b>: a handler's acknowledgement is turned into a requeue (the ack got
 *       lost), so the message comes again although it was handled. Each redelivery counts towards
 *       the wrapped transport's maximum deliveries, so keep the rate low or that maximum high.
 * </ul>
 *
 * <p>With the same seed and the same order of calls, the same messages get the same faults.
 * Thread-safe.
 *
 * <pre>{@code
 * FaultInjectingTransport faulty = FaultInjectingTransport.builder(InMemoryTransport.create())
 *     .seed(7).lostConfirmRate(0.1).duplicateRate(0.05).redeliveryRate(0.05).build();
 * }</pre>
 */
public final class FaultInjectingTransport extends ForwardingTransport {
  /** Default seed of the random faults. */
  public static final long DEFAULT_SEED = 42L;

  /** Default share of publishes whose confirm is lost: none. */
  public static final double DEFAULT_LOST_CONFIRM_RATE = 0.0;

  /** Default share of publishes sent twice: none. */
  public static final double DEFAULT_DUPLICATE_RATE = 0.0;

  /** Default share of acknowledgements turned into redeliveries: none. */
  public static final double DEFAULT_REDELIVERY_RATE = 0.0;

  private final Random random;
  private final double lostConfirmRate;
  private final double duplicateRate;
  private final double redeliveryRate;
  private final AtomicInteger lostConfirms = new AtomicInteger();
  private final AtomicInteger duplicates = new AtomicInteger();
  private final AtomicInteger redeliveries = new AtomicInteger();
  private volatile boolean faultsEnabled = true;

  private FaultInjectingTransport(Builder b) {
    super(b.delegate);
    this.random = new Random(b.seed);
    this.lostConfirmRate = b.lostConfirmRate;
    this.duplicateRate = b.duplicateRate;
    this.redeliveryRate = b.redeliveryRate;
  }

  /**
   * Returns a builder wrapping a transport.
   *
   * @param delegate the transport that really carries the messages
   * @return a new builder
   * @throws NullPointerException if delegate is null
   */
  public static Builder builder(Transport delegate) {
    return new Builder(Objects.requireNonNull(delegate, "delegate cannot be null"));
  }

  /**
   * Turns the faults on or off, for a test that heals the network half-way. On at first.
   *
   * @param enabled whether to inject faults from now on
   */
  public void faultsEnabled(boolean enabled) {
    faultsEnabled = enabled;
  }

  /**
   * @return how many publish confirms were lost so far
   */
  public int lostConfirms() {
    return lostConfirms.get();
  }

  /**
   * @return how many publishes were sent twice so far
   */
  public int duplicates() {
    return duplicates.get();
  }

  /**
   * @return how many acknowledgements were turned into redeliveries so far
   */
  public int redeliveries() {
    return redeliveries.get();
  }

  @Override
  public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
    boolean duplicate = roll(duplicateRate);
    boolean loseConfirm = roll(lostConfirmRate);
    CompletableFuture<Void> published = delegate().publish(destination, message);
    if (duplicate) {
      published =
          published.thenCompose(
              v -> {
                duplicates.incrementAndGet();
                return delegate().publish(destination, message);
              });
    }
    if (loseConfirm) {
      return published.thenCompose(
          v -> {
            lostConfirms.incrementAndGet();
            return CompletableFuture.failedFuture(
                new InjectedFaultException(
                    "injected lost confirm: message "
                        + message.messageId()
                        + " reached '"
                        + destination
                        + "', but its publish is reported as failed"));
          });
    }
    return published;
  }

  @Override
  public List<CompletableFuture<Void>> publishAll(
      String destination, List<OutboundMessage> messages) {
    // One roll per message, as for single publishes, so a batch gets the same faults.
    return publishEach(destination, messages);
  }

  @Override
  public Subscription subscribe(String destination, MessageHandler handler) {
    Objects.requireNonNull(handler, "handler cannot be null");
    if (handler instanceof BatchMessageHandler batch) {
      // Stays a batch handler, so the wrapped transport hands it batches as it would without the
      // faults.
      return delegate()
          .subscribe(
              destination,
              (BatchMessageHandler)
                  messages -> {
                    List<Disposition> answered = batch.handleAll(messages);
                    List<Disposition> out = new ArrayList<>(answered.size());
                    for (int i = 0; i < answered.size(); i++) {
                      out.add(maybeLoseAck(messages.get(i), answered.get(i)));
                    }
                    return out;
                  });
    }
    return delegate()
        .subscribe(destination, message -> maybeLoseAck(message, handler.handle(message)));
  }

  private Disposition maybeLoseAck(InboundMessage message, Disposition d) {
    if (d != null && d.kind() == Disposition.Kind.ACK && roll(redeliveryRate)) {
      redeliveries.incrementAndGet();
      return Disposition.requeue(
          "injected redelivery: the acknowledgement of " + message.messageId() + " was lost");
    }
    return d;
  }

  @Override
  public String toString() {
    return "FaultInjectingTransport[lostConfirmRate="
        + lostConfirmRate
        + ", duplicateRate="
        + duplicateRate
        + ", redeliveryRate="
        + redeliveryRate
        + ", "
        + delegate()
        + "]";
  }

  private boolean roll(double rate) {
    // Always draw, so that switching faults off and on keeps the sequence aligned with the calls.
    double r = random.nextDouble();
    return faultsEnabled && r < rate;
  }

  /**
   * The failure of a publish whose confirm the {@link FaultInjectingTransport} dropped on purpose.
   */
  public static final class InjectedFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what was injected
     */
    public InjectedFaultException(String message) {
      super(message);
    }
  }

  /** Builds a {@link FaultInjectingTransport}. Not thread-safe. */
  public static final class Builder {
    private final Transport delegate;
    private long seed = DEFAULT_SEED;
    private double lostConfirmRate = DEFAULT_LOST_CONFIRM_RATE;
    private double duplicateRate = DEFAULT_DUPLICATE_RATE;
    private double redeliveryRate = DEFAULT_REDELIVERY_RATE;

    private Builder(Transport delegate) {
      this.delegate = delegate;
    }

    /**
     * Sets the seed of the random faults. Defaults to {@value
     * FaultInjectingTransport#DEFAULT_SEED}.
     *
     * @param value the seed
     * @return this builder
     */
    public Builder seed(long value) {
      seed = value;
      return this;
    }

    /**
     * Sets the share of publishes that are delivered but reported as failed. Defaults to {@value
     * FaultInjectingTransport#DEFAULT_LOST_CONFIRM_RATE}.
     *
     * @param value between 0.0 and 1.0
     * @return this builder
     * @throws IllegalArgumentException if value is outside 0.0 to 1.0
     */
    public Builder lostConfirmRate(double value) {
      lostConfirmRate = rate(value, "lostConfirmRate");
      return this;
    }

    /**
     * Sets the share of publishes sent twice with the same message id. Defaults to {@value
     * FaultInjectingTransport#DEFAULT_DUPLICATE_RATE}.
     *
     * @param value between 0.0 and 1.0
     * @return this builder
     * @throws IllegalArgumentException if value is outside 0.0 to 1.0
     */
    public Builder duplicateRate(double value) {
      duplicateRate = rate(value, "duplicateRate");
      return this;
    }

    /**
     * Sets the share of acknowledgements turned into requeues, so that a handled message comes
     * again. Defaults to {@value FaultInjectingTransport#DEFAULT_REDELIVERY_RATE}.
     *
     * @param value between 0.0 and 1.0
     * @return this builder
     * @throws IllegalArgumentException if value is outside 0.0 to 1.0
     */
    public Builder redeliveryRate(double value) {
      redeliveryRate = rate(value, "redeliveryRate");
      return this;
    }

    /**
     * Builds the transport.
     *
     * @return a new transport wrapping the delegate
     */
    public FaultInjectingTransport build() {
      return new FaultInjectingTransport(this);
    }

    private static double rate(double value, String name) {
      if (!(value >= 0.0 && value <= 1.0)) {
        throw new IllegalArgumentException(name + " must be between 0.0 and 1.0, but was " + value);
      }
      return value;
    }
  }
}
