package dev.postoffice.rabbit;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.RejectedInputException;
import dev.postoffice.rabbit.internal.ConfirmingPublisher;
import dev.postoffice.rabbit.internal.Connections;
import dev.postoffice.rabbit.internal.Messages;
import dev.postoffice.rabbit.internal.RabbitSubscription;
import dev.postoffice.rabbit.internal.Require;
import dev.postoffice.rabbit.internal.Topology;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.spi.TransportCapabilities;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} on RabbitMQ (AMQP 0-9-1, the {@code com.rabbitmq:amqp-client} library).
 *
 * <ul>
 *   <li><b>Topology.</b> Each destination is a durable queue (classic, or quorum with {@link
 *       RabbitTransportSettings.Builder#quorumQueues}) bound to a durable direct exchange, with a
 *       dead-letter queue {@code destination + ".dlq"} on a dead-letter exchange.
 *   <li><b>Publishing.</b> Persistent, mandatory messages, with the message id as AMQP {@code
 *       message-id}; each destination publishes on a channel of its own with asynchronous publisher
 *       confirms and a bounded window. A nack, a return (unroutable), a lost channel or a confirm
 *       timeout fails the future.
 *   <li><b>Consuming.</b> Manual acknowledgements after the handler returns, with a prefetch. Dead
 *       letters are published (confirmed) to the dead-letter exchange with the reason header, then
 *       the original is acknowledged. A delivery whose channel died is never acknowledged on its
 *       successor.
 *   <li><b>Recovery.</b> Two connections (publishing, consuming) recover automatically with their
 *       topology and consumers; a consumer's channel closed by the broker, or a consumer it
 *       cancelled, is re-opened and subscribed again with backoff.
 *   <li><b>Pause and release.</b> {@code pause()} cancels the consumer and {@code resume()}
 *       consumes again; a release is a nack with requeue that does not count toward {@code
 *       maxDeliveries}.
 * </ul>
 *
 * <pre>{@code
 * try (RabbitTransport transport = RabbitTransport.create(RabbitTransportSettings.ofDefaults())) {
 *   transport.declare("core.orders");
 *   transport.publish("core.orders", message).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class RabbitTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(RabbitTransport.class);
  private static final Duration CLOSE_DRAIN = Duration.ofSeconds(5);

  private final RabbitTransportSettings settings;
  private final Connection publishConnection;
  private final Connection consumeConnection;
  private final Topology topology;
  private final ConfirmingPublisher deadLetters;
  private final Map<String, ConfirmingPublisher> publishers = new ConcurrentHashMap<>();
  private final Set<RabbitSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;
  private volatile boolean closed;

  private RabbitTransport(RabbitTransportSettings settings, Connections connections) {
    this.settings = settings;
    this.publishConnection = connections.open("publish");
    try {
      this.consumeConnection = connections.open("consume");
    } catch (RuntimeException e) {
      closeQuietly(publishConnection);
      throw e;
    }
    this.topology = new Topology(settings, publishConnection);
    this.deadLetters = newPublisher(topology.deadLetterExchange(), "dead letters");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "postoffice-rabbit-confirm-timeouts");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(10, Math.min(1000, settings.confirmTimeout().toMillis() / 4));
    timer.scheduleWithFixedDelay(this::failOverduePublishes, period, period, TimeUnit.MILLISECONDS);
    LOG.info("RabbitMQ transport connected to {}: {}", connections.target(), settings);
  }

  /**
   * Connects to the broker and returns a transport.
   *
   * @param settings the settings
   * @return a connected transport; close it when done
   * @throws NullPointerException if settings is null
   * @throws RabbitTransportException if the broker cannot be reached or refuses the login
   */
  public static RabbitTransport create(RabbitTransportSettings settings) {
    Require.nonNull(settings, "settings");
    return new RabbitTransport(settings, new Connections(settings));
  }

  /**
   * Connects through a connection factory the host has configured already (the one inside Spring
   * AMQP's {@code CachingConnectionFactory}, say) and returns a transport. The factory gives the
   * address, credentials, virtual host, TLS and timeouts; the settings' {@code host}, {@code port},
   * {@code virtualHost}, {@code username}, {@code password}, {@code tls} and {@code sslContext} are
   * not used ({@link #settings()} returns the factory's address and user in their place). The
   * transport opens its own two connections from a copy of the factory with automatic and topology
   * recovery switched on; the host's factory is not changed, and {@link #close()} closes only the
   * transport's connections.
   *
   * <pre>{@code
   * RabbitTransport transport = RabbitTransport.create(
   *     cachingConnectionFactory.getRabbitConnectionFactory(),
   *     RabbitTransportSettings.builder().namePrefix("shop.").build());
   * }</pre>
   *
   * @param connectionFactory the host's RabbitMQ client connection factory; copied, not kept
   * @param settings the settings (names, queues, publishing and consuming)
   * @return a connected transport; close it when done
   * @throws NullPointerException if an argument is null
   * @throws RabbitTransportException if the broker cannot be reached or refuses the login
   */
  public static RabbitTransport create(
      ConnectionFactory connectionFactory, RabbitTransportSettings settings) {
    Require.nonNull(connectionFactory, "connectionFactory");
    Require.nonNull(settings, "settings");
    // settings() and the log then tell where the transport really connects.
    RabbitTransportSettings effective =
        RabbitTransportSettings.from(settings)
            .host(connectionFactory.getHost())
            .port(connectionFactory.getPort())
            .virtualHost(connectionFactory.getVirtualHost())
            .username(connectionFactory.getUsername())
            .password(connectionFactory.getPassword())
            .tls(connectionFactory.isSSL())
            .build();
    return new RabbitTransport(effective, new Connections(connectionFactory, effective));
  }

  /**
   * @return the settings this transport was created with
   */
  public RabbitTransportSettings settings() {
    return settings;
  }

  /**
   * Returns what RabbitMQ promises: durable, confirmed publishes and a delivery count (from the
   * broker with quorum queues; tracked in this process with classic queues).
   */
  @Override
  public TransportCapabilities capabilities() {
    return TransportCapabilities.builder()
        .durable(true)
        .confirmsPublishes(true)
        .deliveryCount(true)
        .maxMessageBytes(settings.maxMessageBytes())
        .build();
  }

  /**
   * {@inheritDoc}
   *
   * @throws RabbitTransportException if the broker refuses, or (with createTopology off) something
   *     is missing
   */
  @Override
  public void declare(String destination) {
    checkOpen();
    topology.declare(checkDestination(destination));
  }

  @Override
  public String deadLetterDestination(String destination) {
    return topology.deadLetterDestination(checkDestination(destination));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Waits, up to the confirm timeout, while the destination's confirm window is full. The future
   * fails with {@link RejectedInputException} if the body is larger than {@link
   * RabbitTransportSettings#maxMessageBytes()} (nothing is sent), with {@link
   * UnroutableMessageException} if no queue is bound for the destination, and with {@link
   * PublishNotConfirmedException} on a nack, a lost channel, a confirm timeout or close.
   */
  @Override
  public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
    checkDestination(destination);
    Require.nonNull(message, "message");
    if (message.body().length > settings.maxMessageBytes()) {
      // Rejected, not retried: the message will never fit (the Transport contract).
      return CompletableFuture.failedFuture(
          new RejectedInputException(
              "message "
                  + message.messageId()
                  + " has "
                  + message.body().length
                  + " bytes, more than maxMessageBytes ("
                  + settings.maxMessageBytes()
                  + ") of the RabbitMQ transport"));
    }
    if (closed) {
      return CompletableFuture.failedFuture(
          new PublishNotConfirmedException(message.messageId(), "the transport is closed", null));
    }
    ConfirmingPublisher publisher =
        publishers.computeIfAbsent(destination, d -> newPublisher(topology.exchange(), d));
    return publisher.publish(
        topology.queue(destination),
        message.messageId(),
        Messages.properties(message),
        message.body());
  }

  /**
   * {@inheritDoc}
   *
   * @throws RabbitTransportException if the broker refuses the consumer (no such queue, say)
   */
  @Override
  public Subscription subscribe(String destination, MessageHandler handler) {
    checkOpen();
    checkDestination(destination);
    Require.nonNull(handler, "handler");
    String queue = topology.queue(destination);
    RabbitSubscription subscription =
        new RabbitSubscription(
            consumeConnection,
            queue,
            topology.queue(topology.deadLetterDestination(destination)),
            handler,
            deadLetters,
            settings.prefetch(),
            settings.consumerThreads(),
            settings.maxDeliveries(),
            settings.confirmTimeout(),
            settings.recoveryInterval());
    try {
      subscription.start();
    } catch (IOException | RuntimeException e) {
      subscription.close();
      throw new RabbitTransportException(
          "could not consume queue '"
              + queue
              + "': "
              + e
              + " [Hint: call declare(\""
              + destination
              + "\") first]",
          e);
    }
    subscriptions.add(subscription);
    return new Subscription() {
      @Override
      public void pause() {
        subscription.pause();
      }

      @Override
      public void resume() {
        subscription.resume();
      }

      @Override
      public void close() {
        subscriptions.remove(subscription);
        subscription.close();
      }
    };
  }

  /**
   * Stops every subscription (waiting for running handler calls), waits a few seconds for
   * outstanding confirms, fails the publishes still unconfirmed, and closes both connections.
   * Idempotent.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (RabbitSubscription s : subscriptions) {
      s.close();
    }
    subscriptions.clear();
    for (ConfirmingPublisher p : publishers.values()) {
      p.close(CLOSE_DRAIN);
    }
    deadLetters.close(CLOSE_DRAIN);
    timer.shutdownNow();
    closeQuietly(consumeConnection);
    closeQuietly(publishConnection);
  }

  /** Package-private, for tests: the running subscriptions. */
  Set<RabbitSubscription> runningSubscriptions() {
    return subscriptions;
  }

  /** Package-private, for tests: the unconfirmed publishes of a destination. */
  int outstandingPublishes(String destination) {
    ConfirmingPublisher p = publishers.get(destination);
    return p == null ? 0 : p.outstanding();
  }

  private ConfirmingPublisher newPublisher(String exchange, String role) {
    return new ConfirmingPublisher(
        publishConnection,
        exchange,
        role,
        settings.maxOutstandingPublishes(),
        settings.confirmTimeout());
  }

  private void failOverduePublishes() {
    try {
      publishers.values().forEach(ConfirmingPublisher::failOverdue);
      deadLetters.failOverdue();
    } catch (RuntimeException e) {
      LOG.warn("checking confirm timeouts failed", e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the RabbitMQ transport is closed");
    }
  }

  private String checkDestination(String destination) {
    int max = 255 - settings.namePrefix().length() - settings.deadLetterSuffix().length();
    return Require.nonBlank(destination, max, "destination");
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing connection {} failed", connection.getClientProvidedName(), e);
    }
  }
}
