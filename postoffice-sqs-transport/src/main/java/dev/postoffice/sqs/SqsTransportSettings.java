package dev.postoffice.sqs;

import dev.postoffice.spi.Transport;
import dev.postoffice.sqs.internal.Require;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The immutable configuration of an {@link SqsTransport}: where SQS is, how to sign in, and how the
 * transport names its queues, publishes and consumes. Every property has a default, a {@code
 * DEFAULT_*} constant that its setter names (the region and credentials default to the SDK's
 * chains); the builder checks each value as it is set. Settings that mean the same as in {@code
 * RabbitTransportSettings} have the same name there ({@code namePrefix}, {@code createTopology},
 * {@code maxMessageBytes}, {@code deadLetterSuffix}, {@code maxDeliveries}, {@code
 * consumerThreads}, {@code prefetch}).
 *
 * <pre>{@code
 * SqsTransportSettings settings = SqsTransportSettings.builder()
 *     .region(Region.EU_WEST_1)
 *     .namePrefix("prod-")
 *     .fifo(true)
 *     .build();
 * }</pre>
 *
 * <p>Thread-safety: instances are immutable and thread-safe; the builder is not.
 */
public final class SqsTransportSettings {
  /** Default prefix of every name the transport creates: none. */
  public static final String DEFAULT_NAME_PREFIX = "";

  /** Default suffix that turns a destination into its dead-letter destination: {@value}. */
  public static final String DEFAULT_DEAD_LETTER_SUFFIX = "-dlq";

  /** Default queue type: standard (not FIFO). */
  public static final boolean DEFAULT_FIFO = false;

  /** Default header whose value becomes a FIFO message's {@code MessageGroupId}: the route. */
  public static final String DEFAULT_ORDERING_KEY_HEADER = Transport.HEADER_ROUTE;

  /** Default {@code MessageGroupId} of FIFO messages without the ordering-key header: {@value}. */
  public static final String DEFAULT_MESSAGE_GROUP_ID = "postoffice";

  /** Default: {@value}, {@code declare} creates the queues and redrive policy it needs. */
  public static final boolean DEFAULT_CREATE_TOPOLOGY = true;

  /** Default long-polling wait: 20 seconds, the SQS maximum. */
  public static final Duration DEFAULT_WAIT_TIME = Duration.ofSeconds(20);

  /** Default visibility timeout of a received message: 30 seconds. */
  public static final Duration DEFAULT_VISIBILITY_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Default longest time the visibility of a message is extended while its handler runs: 10
   * minutes.
   */
  public static final Duration DEFAULT_MAX_VISIBILITY_EXTENSION = Duration.ofMinutes(10);

  /** Default number of deliveries before a message is dead-lettered: {@value}. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  /** Default time a publish or a delete waits for others to share its batch call: 10 ms. */
  public static final Duration DEFAULT_BATCH_LINGER = Duration.ofMillis(10);

  /** Default number of handler calls running at once per subscription: {@value}. */
  public static final int DEFAULT_CONSUMER_THREADS = 4;

  /**
   * The most messages one ReceiveMessage call returns (an SQS limit): the default {@link
   * #prefetch()} is {@link #consumerThreads()} times this, so that every handler call of a batch
   * handler can take a full receive.
   */
  public static final int MAX_MESSAGES_PER_RECEIVE = 10;

  /** Default number of SQS calls (batch sends, deletes) in flight at once: {@value}. */
  public static final int DEFAULT_SENDER_THREADS = 4;

  /** Default SQS message size limit (body plus attributes) and batch size limit: 262,144 bytes. */
  public static final int DEFAULT_MESSAGE_SIZE_LIMIT = 262_144;

  /** Default time {@code close()} waits for running handlers and pending publishes: 30 seconds. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** The largest SQS message size limit accepted: 1 MiB, the AWS maximum. */
  public static final int MAX_MESSAGE_SIZE_LIMIT = 1_048_576;

  private final Region region;
  private final AwsCredentialsProvider credentialsProvider;
  private final URI endpointOverride;
  private final String namePrefix;
  private final String deadLetterSuffix;
  private final boolean fifo;
  private final String orderingKeyHeader;
  private final String defaultMessageGroupId;
  private final boolean createTopology;
  private final Duration waitTime;
  private final Duration visibilityTimeout;
  private final Duration maxVisibilityExtension;
  private final int maxDeliveries;
  private final Duration batchLinger;
  private final int consumerThreads;

  /** As set; 0 when not set: {@link #prefetch()} then derives it from consumerThreads. */
  private final int prefetch;

  private final int senderThreads;
  private final int messageSizeLimit;
  private final Duration closeTimeout;
  private final Clock clock;

  private SqsTransportSettings(Builder b) {
    region = b.region;
    credentialsProvider = b.credentialsProvider;
    endpointOverride = b.endpointOverride;
    namePrefix = b.namePrefix;
    deadLetterSuffix = b.deadLetterSuffix;
    fifo = b.fifo;
    orderingKeyHeader = b.orderingKeyHeader;
    defaultMessageGroupId = b.defaultMessageGroupId;
    createTopology = b.createTopology;
    waitTime = b.waitTime;
    visibilityTimeout = b.visibilityTimeout;
    maxVisibilityExtension = b.maxVisibilityExtension;
    maxDeliveries = b.maxDeliveries;
    batchLinger = b.batchLinger;
    consumerThreads = b.consumerThreads;
    prefetch = b.prefetch;
    senderThreads = b.senderThreads;
    messageSizeLimit = b.messageSizeLimit;
    closeTimeout = b.closeTimeout;
    clock = b.clock;
  }

  /**
   * Returns a builder holding the defaults.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the settings with every default (region and credentials from the SDK's default chains).
   *
   * @return the default settings
   */
  public static SqsTransportSettings ofDefaults() {
    return builder().build();
  }

  /**
   * Returns a builder holding the values of existing settings, to change a few of them.
   *
   * @param base the settings to start from
   * @return a new builder
   * @throws NullPointerException if base is null
   */
  public static Builder from(SqsTransportSettings base) {
    return new Builder(Require.nonNull(base, "base"));
  }

  /**
   * @return the AWS region, or empty to use the SDK's default region chain
   */
  public Optional<Region> region() {
    return Optional.ofNullable(region);
  }

  /**
   * @return the credentials provider, or empty to use the SDK's default credentials chain
   */
  public Optional<AwsCredentialsProvider> credentialsProvider() {
    return Optional.ofNullable(credentialsProvider);
  }

  /**
   * @return the SQS endpoint (LocalStack, ElasticMQ), or empty for the region's AWS endpoint
   */
  public Optional<URI> endpointOverride() {
    return Optional.ofNullable(endpointOverride);
  }

  /**
   * @return the prefix put before every queue name the transport uses
   */
  public String namePrefix() {
    return namePrefix;
  }

  /**
   * @return the suffix that turns a destination into its dead-letter destination
   */
  public String deadLetterSuffix() {
    return deadLetterSuffix;
  }

  /**
   * @return whether queues are FIFO queues
   */
  public boolean fifo() {
    return fifo;
  }

  /**
   * @return the header whose value becomes a FIFO message's {@code MessageGroupId}
   */
  public String orderingKeyHeader() {
    return orderingKeyHeader;
  }

  /**
   * @return the {@code MessageGroupId} of FIFO messages that lack the ordering-key header
   */
  public String defaultMessageGroupId() {
    return defaultMessageGroupId;
  }

  /**
   * @return whether {@code declare} creates the topology (otherwise it only checks that it exists)
   */
  public boolean createTopology() {
    return createTopology;
  }

  /**
   * @return how long one receive call waits for messages (long polling)
   */
  public Duration waitTime() {
    return waitTime;
  }

  /**
   * @return how long a received message stays invisible to other consumers
   */
  public Duration visibilityTimeout() {
    return visibilityTimeout;
  }

  /**
   * @return how long, at most, the visibility of a message is extended while its handler runs
   */
  public Duration maxVisibilityExtension() {
    return maxVisibilityExtension;
  }

  /**
   * @return how many times a message is delivered before it is dead-lettered
   */
  public int maxDeliveries() {
    return maxDeliveries;
  }

  /**
   * @return how long a publish or delete waits for others to share its batch call
   */
  public Duration batchLinger() {
    return batchLinger;
  }

  /**
   * @return how many handler calls run at once per subscription
   */
  public int consumerThreads() {
    return consumerThreads;
  }

  /**
   * @return how many messages a subscription holds unsettled at most (received, not yet deleted or
   *     put back)
   */
  public int prefetch() {
    return prefetch > 0 ? prefetch : consumerThreads * MAX_MESSAGES_PER_RECEIVE;
  }

  /**
   * @return how many batch calls (sends, deletes) run at once
   */
  public int senderThreads() {
    return senderThreads;
  }

  /**
   * @return the SQS limit on one message (body plus attributes) and on one batch call, in bytes
   */
  public int messageSizeLimit() {
    return messageSizeLimit;
  }

  /**
   * Returns the largest body a publish accepts, which the transport reports as {@code
   * capabilities().maxMessageBytes()}. It follows from {@link #messageSizeLimit()} rather than
   * being a setting of its own: the message size limit less {@link
   * SqsTransport#ATTRIBUTE_BUDGET_BYTES} for attributes, times 3/4 because a body that is not valid
   * SQS text travels as base64. With the default limit: {@code (262144 - 8192) / 4 * 3 = 190464}
   * bytes.
   *
   * @return the largest body in bytes
   */
  public int maxMessageBytes() {
    return (messageSizeLimit - SqsTransport.ATTRIBUTE_BUDGET_BYTES) / 4 * 3;
  }

  /**
   * @return how long {@code close()} waits for running handlers and pending publishes
   */
  public Duration closeTimeout() {
    return closeTimeout;
  }

  /**
   * Returns the clock the transport reads to decide when to stop extending a message's visibility
   * (see {@link #maxVisibilityExtension()}). The Rabbit transport has no such setting: its waits
   * are elapsed-time waits on monotonic timers, which a clock cannot drive.
   *
   * @return the clock
   */
  public Clock clock() {
    return clock;
  }

  @Override
  public String toString() {
    return "SqsTransportSettings[region="
        + region
        + ", endpointOverride="
        + endpointOverride
        + ", namePrefix='"
        + namePrefix
        + "', fifo="
        + fifo
        + ", waitTime="
        + waitTime
        + ", visibilityTimeout="
        + visibilityTimeout
        + ", maxDeliveries="
        + maxDeliveries
        + ", batchLinger="
        + batchLinger
        + ", consumerThreads="
        + consumerThreads
        + ", prefetch="
        + prefetch()
        + "]";
  }

  /**
   * Builds {@link SqsTransportSettings}; each setter checks its argument at once. Not thread-safe.
   */
  public static final class Builder {
    private Region region;
    private AwsCredentialsProvider credentialsProvider;
    private URI endpointOverride;
    private String namePrefix = DEFAULT_NAME_PREFIX;
    private String deadLetterSuffix = DEFAULT_DEAD_LETTER_SUFFIX;
    private boolean fifo = DEFAULT_FIFO;
    private String orderingKeyHeader = DEFAULT_ORDERING_KEY_HEADER;
    private String defaultMessageGroupId = DEFAULT_MESSAGE_GROUP_ID;
    private boolean createTopology = DEFAULT_CREATE_TOPOLOGY;
    private Duration waitTime = DEFAULT_WAIT_TIME;
    private Duration visibilityTimeout = DEFAULT_VISIBILITY_TIMEOUT;
    private Duration maxVisibilityExtension = DEFAULT_MAX_VISIBILITY_EXTENSION;
    private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
    private Duration batchLinger = DEFAULT_BATCH_LINGER;
    private int consumerThreads = DEFAULT_CONSUMER_THREADS;
    private int prefetch; // 0: consumerThreads * MAX_MESSAGES_PER_RECEIVE
    private int senderThreads = DEFAULT_SENDER_THREADS;
    private int messageSizeLimit = DEFAULT_MESSAGE_SIZE_LIMIT;
    private Duration closeTimeout = DEFAULT_CLOSE_TIMEOUT;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    private Builder(SqsTransportSettings s) {
      region = s.region;
      credentialsProvider = s.credentialsProvider;
      endpointOverride = s.endpointOverride;
      namePrefix = s.namePrefix;
      deadLetterSuffix = s.deadLetterSuffix;
      fifo = s.fifo;
      orderingKeyHeader = s.orderingKeyHeader;
      defaultMessageGroupId = s.defaultMessageGroupId;
      createTopology = s.createTopology;
      waitTime = s.waitTime;
      visibilityTimeout = s.visibilityTimeout;
      maxVisibilityExtension = s.maxVisibilityExtension;
      maxDeliveries = s.maxDeliveries;
      batchLinger = s.batchLinger;
      consumerThreads = s.consumerThreads;
      prefetch = s.prefetch;
      senderThreads = s.senderThreads;
      messageSizeLimit = s.messageSizeLimit;
      closeTimeout = s.closeTimeout;
      clock = s.clock;
    }

    /**
     * Sets the AWS region. Defaults to the SDK's default region chain ({@code AWS_REGION}, profile,
     * ...). Ignored by {@link SqsTransport#create(software.amazon.awssdk.services.sqs.SqsClient,
     * SqsTransportSettings)}, whose client is already configured.
     *
     * @param region the region
     * @return this builder
     * @throws NullPointerException if region is null
     */
    public Builder region(Region region) {
      this.region = Require.nonNull(region, "region");
      return this;
    }

    /**
     * Sets the credentials provider. Defaults to the SDK's default credentials chain.
     *
     * @param credentialsProvider the provider, such as {@code
     *     StaticCredentialsProvider.create(...)}
     * @return this builder
     * @throws NullPointerException if credentialsProvider is null
     */
    public Builder credentialsProvider(AwsCredentialsProvider credentialsProvider) {
      this.credentialsProvider = Require.nonNull(credentialsProvider, "credentialsProvider");
      return this;
    }

    /**
     * Sets the endpoint of an SQS-compatible server such as LocalStack or ElasticMQ. Defaults to
     * none (the region's AWS endpoint).
     *
     * @param endpoint the endpoint, such as {@code http://localhost:9324}
     * @return this builder
     * @throws NullPointerException if endpoint is null
     */
    public Builder endpointOverride(URI endpoint) {
      this.endpointOverride = Require.nonNull(endpoint, "endpointOverride");
      return this;
    }

    /**
     * Sets the prefix put before every queue name the transport uses, such as {@code "staging-"},
     * for example to keep environments apart in one account. Defaults to empty (no prefix).
     *
     * @param namePrefix 0 to 60 of letters, digits, '-' and '_'; may be empty
     * @return this builder
     * @throws NullPointerException if namePrefix is null
     * @throws IllegalArgumentException if the prefix has other characters or is longer than 60
     */
    public Builder namePrefix(String namePrefix) {
      Require.nonNull(namePrefix, "namePrefix");
      if (!namePrefix.matches("[A-Za-z0-9_-]{0,60}")) {
        throw new IllegalArgumentException(
            "namePrefix must be 0 to 60 of A-Z, a-z, 0-9, '-' and '_', "
                + "but was '"
                + namePrefix
                + "'");
      }
      this.namePrefix = namePrefix;
      return this;
    }

    /**
     * Sets the suffix that turns a destination into its dead-letter destination (before {@code
     * .fifo}). Defaults to {@value #DEFAULT_DEAD_LETTER_SUFFIX}.
     *
     * @param deadLetterSuffix 1 to 20 of letters, digits, '-' and '_'
     * @return this builder
     * @throws NullPointerException if deadLetterSuffix is null
     * @throws IllegalArgumentException if the suffix is empty, too long or has other characters
     */
    public Builder deadLetterSuffix(String deadLetterSuffix) {
      Require.nonNull(deadLetterSuffix, "deadLetterSuffix");
      if (!deadLetterSuffix.matches("[A-Za-z0-9_-]{1,20}")) {
        throw new IllegalArgumentException(
            "deadLetterSuffix must be 1 to 20 of A-Z, a-z, 0-9, '-' and '_', "
                + "but was '"
                + deadLetterSuffix
                + "'");
      }
      this.deadLetterSuffix = deadLetterSuffix;
      return this;
    }

    /**
     * Uses FIFO queues (names ending in {@code .fifo}, exactly-once sends within five minutes,
     * order per message group) instead of standard ones. Defaults to {@value #DEFAULT_FIFO}.
     *
     * @param fifo whether queues are FIFO
     * @return this builder
     */
    public Builder fifo(boolean fifo) {
      this.fifo = fifo;
      return this;
    }

    /**
     * Sets the header whose value becomes a FIFO message's {@code MessageGroupId}: messages with
     * the same value are delivered in order, one group at a time. Defaults to the route header
     * ({@value #DEFAULT_ORDERING_KEY_HEADER}). Ignored by standard queues.
     *
     * @param header the header name
     * @return this builder
     * @throws IllegalArgumentException if header is blank
     */
    public Builder orderingKeyHeader(String header) {
      Require.nonNull(header, "orderingKeyHeader");
      if (header.isBlank()) {
        throw new IllegalArgumentException(
            "orderingKeyHeader must not be blank, but was '" + header + "'");
      }
      this.orderingKeyHeader = header;
      return this;
    }

    /**
     * Sets the {@code MessageGroupId} of FIFO messages that lack the ordering-key header. Defaults
     * to {@value #DEFAULT_MESSAGE_GROUP_ID}.
     *
     * @param groupId 1 to 128 printable ASCII characters
     * @return this builder
     * @throws IllegalArgumentException if groupId is empty, too long or not printable ASCII
     */
    public Builder defaultMessageGroupId(String groupId) {
      Require.nonNull(groupId, "defaultMessageGroupId");
      if (!groupId.matches("[\\x21-\\x7e]{1,128}")) {
        throw new IllegalArgumentException(
            "defaultMessageGroupId must be 1 to 128 printable ASCII characters, but was '"
                + groupId
                + "'");
      }
      this.defaultMessageGroupId = groupId;
      return this;
    }

    /**
     * Chooses whether {@code declare} creates the queues and redrive policy it needs ({@code true})
     * or only checks that they exist (when the host manages the topology, for example with
     * CloudFormation). Defaults to {@value #DEFAULT_CREATE_TOPOLOGY}.
     *
     * @param createTopology whether to create the topology
     * @return this builder
     */
    public Builder createTopology(boolean createTopology) {
      this.createTopology = createTopology;
      return this;
    }

    /**
     * Sets how long one receive call waits for messages (long polling; each call costs one request
     * whether or not it returns messages). Defaults to 20 seconds.
     *
     * @param waitTime 0 to 20 whole seconds
     * @return this builder
     * @throws IllegalArgumentException if out of range or not whole seconds
     */
    public Builder waitTime(Duration waitTime) {
      this.waitTime =
          Require.wholeSeconds(waitTime, Duration.ZERO, Duration.ofSeconds(20), "waitTime");
      return this;
    }

    /**
     * Sets how long a received message stays invisible to other consumers. While a handler runs,
     * the transport keeps extending it (see {@link #maxVisibilityExtension}). Defaults to 30
     * seconds.
     *
     * @param visibilityTimeout 1 second to 12 hours, whole seconds
     * @return this builder
     * @throws IllegalArgumentException if out of range or not whole seconds
     */
    public Builder visibilityTimeout(Duration visibilityTimeout) {
      this.visibilityTimeout =
          Require.wholeSeconds(
              visibilityTimeout, Duration.ofSeconds(1), Duration.ofHours(12), "visibilityTimeout");
      return this;
    }

    /**
     * Sets how long, at most, the transport keeps extending the visibility of a message whose
     * handler is still running. Past it the message becomes visible again and another consumer gets
     * it, with the same message id (a stuck consumer cannot hold a message forever). Zero turns
     * extension off. Defaults to 10 minutes.
     *
     * @param maxExtension 0 to 12 hours
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxVisibilityExtension(Duration maxExtension) {
      this.maxVisibilityExtension =
          Require.between(
              maxExtension, Duration.ZERO, Duration.ofHours(12), "maxVisibilityExtension");
      return this;
    }

    /**
     * Sets how many times a message is delivered before it is dead-lettered: a requeue (or handler
     * exception) of the last delivery moves it to the dead-letter queue with the reason, and the
     * queue's redrive policy ({@code maxReceiveCount}) catches messages whose consumer vanished.
     * Defaults to {@value #DEFAULT_MAX_DELIVERIES}.
     *
     * @param maxDeliveries 1 to 1000 (the SQS range of {@code maxReceiveCount})
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxDeliveries(int maxDeliveries) {
      this.maxDeliveries = Require.between(maxDeliveries, 1, 1000, "maxDeliveries");
      return this;
    }

    /**
     * Sets how long a publish (or a delete after an acknowledgement) waits for others to share its
     * batch call of up to ten. Zero sends at once. Defaults to 10 ms.
     *
     * @param linger 0 to 1 second
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder batchLinger(Duration linger) {
      this.batchLinger =
          Require.between(linger, Duration.ZERO, Duration.ofSeconds(1), "batchLinger");
      return this;
    }

    /**
     * Sets how many handler calls run at once per subscription, each on a thread of its own.
     * Defaults to {@value #DEFAULT_CONSUMER_THREADS}.
     *
     * @param consumerThreads 1 to 1000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder consumerThreads(int consumerThreads) {
      this.consumerThreads = Require.between(consumerThreads, 1, 1000, "consumerThreads");
      return this;
    }

    /**
     * Sets how many messages a subscription holds unsettled at most: received and not yet deleted
     * or put back, whether a handler works on them or they wait for a free handler thread (their
     * visibility is extended meanwhile). A receive asks for no more than the room left, and at most
     * {@value #MAX_MESSAGES_PER_RECEIVE}. Defaults to {@link #consumerThreads(int) consumerThreads}
     * × {@value #MAX_MESSAGES_PER_RECEIVE}, so that each call of a batch handler can take a full
     * receive; set it to {@code consumerThreads} to hold no message that no handler works on.
     *
     * @param prefetch 1 to 10,000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder prefetch(int prefetch) {
      this.prefetch = Require.between(prefetch, 1, 10_000, "prefetch");
      return this;
    }

    /**
     * Sets how many batch calls (sends, deletes, visibility changes) run at once. Defaults to
     * {@value #DEFAULT_SENDER_THREADS}.
     *
     * @param threads 1 to 256
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder senderThreads(int threads) {
      this.senderThreads = Require.between(threads, 1, 256, "senderThreads");
      return this;
    }

    /**
     * Sets the SQS size limit of one message (body plus attributes) and of one batch call. Defaults
     * to 262,144 bytes (256 KiB); AWS accepts up to 1 MiB on queues whose {@code
     * MaximumMessageSize} allows it.
     *
     * @param bytes 16,384 to 1,048,576
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder messageSizeLimit(int bytes) {
      this.messageSizeLimit =
          Require.between(bytes, 16_384, MAX_MESSAGE_SIZE_LIMIT, "messageSizeLimit");
      return this;
    }

    /**
     * Sets how long {@code close()} waits for running handlers and pending publishes before giving
     * up on them. Defaults to 30 seconds.
     *
     * @param timeout 0 to 10 minutes
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout =
          Require.between(timeout, Duration.ZERO, Duration.ofMinutes(10), "closeTimeout");
      return this;
    }

    /**
     * Sets the clock read to time visibility extensions. Defaults to {@link Clock#systemUTC()}.
     *
     * @param clock the clock
     * @return this builder
     * @throws NullPointerException if clock is null
     */
    public Builder clock(Clock clock) {
      this.clock = Require.nonNull(clock, "clock");
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return immutable settings
     */
    public SqsTransportSettings build() {
      return new SqsTransportSettings(this);
    }
  }
}
