package dev.postoffice.sqs;

import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.spi.TransportCapabilities;
import dev.postoffice.sqs.internal.Publisher;
import dev.postoffice.sqs.internal.QueueRegistry;
import dev.postoffice.sqs.internal.Require;
import dev.postoffice.sqs.internal.SqsSubscription;
import dev.postoffice.sqs.internal.Threads;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

/**
 * A {@link Transport} on Amazon SQS, through the AWS SDK for Java v2: standard or FIFO queues, each
 * destination with a dead-letter queue.
 *
 * <ul>
 *   <li>{@link #declare} creates the queue and its dead-letter queue, with a redrive policy whose
 *       {@code maxReceiveCount} is {@link SqsTransportSettings#maxDeliveries()}. Queue URLs are
 *       resolved once and cached.
 *   <li>{@link #publish} and {@link #publishAll} use {@code SendMessageBatch}: up to ten messages
 *       and {@link SqsTransportSettings#messageSizeLimit()} bytes per call, single publishes
 *       lingering {@link SqsTransportSettings#batchLinger()} for company. Each future completes or
 *       fails on its own, as SQS reports per message. The message id travels as the {@code
 *       postoffice-message-id} attribute and, on FIFO queues, as the {@code
 *       MessageDeduplicationId}; the ordering-key header becomes the {@code MessageGroupId}.
 *   <li>{@link #subscribe} long-polls, extends the visibility of messages whose handler still runs,
 *       deletes acknowledged messages in batches, puts requeued ones back at once (visibility 0)
 *       and sends dead letters to the dead-letter queue with {@link
 *       Transport#HEADER_DEAD_LETTER_REASON} before deleting them. A requeue of the last allowed
 *       delivery is dead-lettered by the transport, with the reason; a message whose consumer
 *       vanished is moved by the redrive policy, without one.
 * </ul>
 *
 * <pre>{@code
 * Transport transport = SqsTransport.create(SqsTransportSettings.builder()
 *     .region(Region.EU_WEST_1)
 *     .build());
 * transport.declare("orders");
 * transport.publish("orders", message).join();
 * }</pre>
 *
 * <p>Thread-safety: thread-safe.
 */
public final class SqsTransport implements Transport {
  /**
   * Bytes of each message kept for its attributes (id, content type, headers: names, types and
   * values); a message whose attributes take more is refused.
   */
  public static final int ATTRIBUTE_BUDGET_BYTES = 8192;

  private final SqsClient client;
  private final boolean ownsClient;
  private final SqsTransportSettings settings;
  private final QueueRegistry queues;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService senders;
  private final Publisher publisher;
  private final Set<SqsSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private SqsTransport(SqsClient client, boolean ownsClient, SqsTransportSettings settings) {
    this.client = client;
    this.ownsClient = ownsClient;
    this.settings = settings;
    this.queues = new QueueRegistry(client, settings);
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(Threads.daemon("postoffice-sqs-scheduler"));
    this.senders =
        Executors.newFixedThreadPool(
            settings.senderThreads(), Threads.daemon("postoffice-sqs-sender"));
    this.publisher = new Publisher(client, queues, settings, scheduler, senders);
  }

  /**
   * Creates a transport with its own SQS client (on the JDK's HTTP client), built from the
   * settings' region, credentials provider and endpoint override; {@link #close()} closes it.
   *
   * @param settings the settings
   * @return the transport
   * @throws NullPointerException if settings is null
   */
  public static SqsTransport create(SqsTransportSettings settings) {
    Require.nonNull(settings, "settings");
    SqsClientBuilder builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
    settings.region().ifPresent(builder::region);
    settings.credentialsProvider().ifPresent(builder::credentialsProvider);
    settings.endpointOverride().ifPresent(builder::endpointOverride);
    return new SqsTransport(builder.build(), true, settings);
  }

  /**
   * Creates a transport on a client the host owns and closes; the settings' region, credentials
   * provider and endpoint override are ignored; {@link #close()} leaves the client open.
   *
   * @param client the SQS client
   * @param settings the settings
   * @return the transport
   * @throws NullPointerException if an argument is null
   */
  public static SqsTransport create(SqsClient client, SqsTransportSettings settings) {
    return new SqsTransport(
        Require.nonNull(client, "client"), false, Require.nonNull(settings, "settings"));
  }

  /**
   * Returns the settings this transport runs with.
   *
   * @return the settings
   */
  public SqsTransportSettings settings() {
    return settings;
  }

  /**
   * Returns durable, confirmed publishes, delivery counts (SQS {@code ApproximateReceiveCount}) and
   * {@link SqsTransportSettings#maxMessageBytes()} as the largest body: 190,464 bytes with the
   * defaults.
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
   * Creates the queue and its dead-letter queue (or checks they exist); see the class description.
   */
  @Override
  public void declare(String destination) {
    checkOpen();
    queues.declare(destination);
  }

  /**
   * Returns the destination with {@link SqsTransportSettings#deadLetterSuffix()} before any {@code
   * .fifo}.
   */
  @Override
  public String deadLetterDestination(String destination) {
    return queues.deadLetterDestination(destination);
  }

  @Override
  public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
    Require.nonNull(message, "message");
    return publisher.publish(destination, List.of(message), false).get(0);
  }

  /** Publishes the messages in batch calls at once, without lingering. */
  @Override
  public List<CompletableFuture<Void>> publishAll(
      String destination, List<OutboundMessage> messages) {
    Require.nonNull(messages, "messages");
    return publisher.publish(destination, messages, true);
  }

  @Override
  public Subscription subscribe(String destination, MessageHandler handler) {
    Require.nonNull(handler, "handler");
    checkOpen();
    String url = queues.url(destination);
    String deadLetterDestination = queues.deadLetterDestination(destination);
    SqsSubscription subscription =
        new SqsSubscription(
            client,
            queues.queueName(destination),
            url,
            () -> queues.url(deadLetterDestination),
            handler,
            settings,
            scheduler,
            senders);
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

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the SQS transport is closed");
    }
  }

  /**
   * Stops every subscription (waiting for running handlers), sends pending publishes and
   * settlements (failing publishes SQS has not confirmed within the close timeout), and closes the
   * client if the transport created it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    // In parallel: each waits for its handlers and for its long poll to return.
    ThreadFactory closers = Threads.daemon("postoffice-sqs-close");
    CompletableFuture.allOf(
            subscriptions.stream()
                .map(s -> CompletableFuture.runAsync(s::close, r -> closers.newThread(r).start()))
                .toArray(CompletableFuture[]::new))
        .join();
    publisher.close(settings.closeTimeout());
    senders.shutdown();
    try {
      senders.awaitTermination(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler.shutdownNow();
    if (ownsClient) {
      client.close();
    }
  }
}
