package dev.postoffice.rabbit;

import dev.postoffice.rabbit.internal.Require;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * The immutable configuration of a {@link RabbitTransport}: where the broker is, how to log in, and
 * how the transport publishes, consumes and names its topology. Every property has a default, a
 * {@code DEFAULT_*} constant that its setter names; the builder checks each value as it is set.
 * Settings that mean the same as in {@code SqsTransportSettings} have the same name there ({@code
 * namePrefix}, {@code createTopology}, {@code maxMessageBytes}, {@code deadLetterSuffix}, {@code
 * maxDeliveries}, {@code consumerThreads}).
 *
 * <p>The password is never logged and never appears in {@link #toString()}.
 *
 * <p>Unlike the SQS transport, this one takes no {@link java.time.Clock}: SQS reads its clock to
 * decide when to stop extending a message's visibility, but every wait here (the confirm timeout,
 * room in the confirm window, the recovery backoff, the drains on close) is an elapsed-time wait on
 * the JDK's monotonic timers ({@code Semaphore.tryAcquire}, a scheduled executor, {@code
 * System.nanoTime}), which a clock cannot drive, and no decision compares two readings of the time
 * of day.
 *
 * <pre>{@code
 * RabbitTransportSettings settings = RabbitTransportSettings.builder()
 *     .host("rabbit.internal").port(5671).tls(true)
 *     .username("postoffice").password(secret)
 *     .quorumQueues(true)
 *     .build();
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe; builders are not thread-safe.
 */
public final class RabbitTransportSettings {
  /** Default broker host: {@value}. */
  public static final String DEFAULT_HOST = "localhost";

  /** Default broker port: {@value} (use 5671 with TLS). */
  public static final int DEFAULT_PORT = 5672;

  /** Default virtual host: {@value}. */
  public static final String DEFAULT_VIRTUAL_HOST = "/";

  /** Default user name: {@value}. */
  public static final String DEFAULT_USERNAME = "guest";

  /** Default password: the broker's stock {@code guest} password. */
  public static final String DEFAULT_PASSWORD = "guest";

  /** Default prefetch (unacknowledged deliveries per subscription): {@value}. */
  public static final int DEFAULT_PREFETCH = 250;

  /** Default number of handler calls running at once per subscription: {@value}. */
  public static final int DEFAULT_CONSUMER_THREADS = 4;

  /** Default confirm window (unconfirmed publishes per publishing channel): {@value}. */
  public static final int DEFAULT_MAX_OUTSTANDING_PUBLISHES = 1000;

  /** Default time a publish waits for its confirm (and for room in the window): 30 seconds. */
  public static final Duration DEFAULT_CONFIRM_TIMEOUT = Duration.ofSeconds(30);

  /** Default number of deliveries before a message is dead-lettered: {@value}. */
  public static final int DEFAULT_MAX_DELIVERIES = 5;

  /** Default queue type: classic queues ({@value} means quorum queues). */
  public static final boolean DEFAULT_QUORUM_QUEUES = false;

  /** Default: {@value}, {@code declare} creates the exchanges, queues and bindings it needs. */
  public static final boolean DEFAULT_CREATE_TOPOLOGY = true;

  /** Default prefix of every name the transport creates: none. */
  public static final String DEFAULT_NAME_PREFIX = "";

  /** Default name of the direct exchange destinations are bound to: {@value}. */
  public static final String DEFAULT_EXCHANGE = "postoffice";

  /** Default name of the direct exchange dead-letter queues are bound to: {@value}. */
  public static final String DEFAULT_DEAD_LETTER_EXCHANGE = "postoffice.dead-letter";

  /** Default suffix that turns a destination into its dead-letter destination: {@value}. */
  public static final String DEFAULT_DEAD_LETTER_SUFFIX = ".dlq";

  /** Default client-provided connection name, shown in the management UI: {@value}. */
  public static final String DEFAULT_CONNECTION_NAME = "postoffice";

  /** Default pause between connection recovery attempts: 1 second. */
  public static final Duration DEFAULT_RECOVERY_INTERVAL = Duration.ofSeconds(1);

  /** Default largest body a publish accepts, the broker's own default limit: {@value} bytes. */
  public static final int DEFAULT_MAX_MESSAGE_BYTES = 128 * 1024 * 1024;

  /** Longest AMQP name (a short string). */
  static final int MAX_NAME_LENGTH = 255;

  private final String host;
  private final int port;
  private final String virtualHost;
  private final String username;
  private final String password;
  private final boolean tls;
  private final SSLContext sslContext;
  private final int prefetch;
  private final int consumerThreads;
  private final int maxOutstandingPublishes;
  private final Duration confirmTimeout;
  private final int maxDeliveries;
  private final boolean quorumQueues;
  private final boolean createTopology;
  private final String namePrefix;
  private final String exchange;
  private final String deadLetterExchange;
  private final String deadLetterSuffix;
  private final String connectionName;
  private final Duration recoveryInterval;
  private final int maxMessageBytes;

  private RabbitTransportSettings(Builder b) {
    host = b.host;
    port = b.port;
    virtualHost = b.virtualHost;
    username = b.username;
    password = b.password;
    tls = b.tls;
    sslContext = b.sslContext;
    prefetch = b.prefetch;
    consumerThreads = b.consumerThreads;
    maxOutstandingPublishes = b.maxOutstandingPublishes;
    confirmTimeout = b.confirmTimeout;
    maxDeliveries = b.maxDeliveries;
    quorumQueues = b.quorumQueues;
    createTopology = b.createTopology;
    namePrefix = b.namePrefix;
    exchange = b.exchange;
    deadLetterExchange = b.deadLetterExchange;
    deadLetterSuffix = b.deadLetterSuffix;
    connectionName = b.connectionName;
    recoveryInterval = b.recoveryInterval;
    maxMessageBytes = b.maxMessageBytes;
  }

  /**
   * Returns the settings with every default: a broker on localhost:5672 as guest/guest.
   *
   * @return the default settings
   */
  public static RabbitTransportSettings ofDefaults() {
    return builder().build();
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
   * Returns a builder holding the values of existing settings, to change a few of them.
   *
   * @param base the settings to start from
   * @return a new builder
   * @throws NullPointerException if base is null
   */
  public static Builder from(RabbitTransportSettings base) {
    return new Builder(Require.nonNull(base, "base"));
  }

  /**
   * @return the broker host
   */
  public String host() {
    return host;
  }

  /**
   * @return the broker port
   */
  public int port() {
    return port;
  }

  /**
   * @return the virtual host
   */
  public String virtualHost() {
    return virtualHost;
  }

  /**
   * @return the user name
   */
  public String username() {
    return username;
  }

  /**
   * Returns the password. Never log it.
   *
   * @return the password
   */
  public String password() {
    return password;
  }

  /**
   * @return whether connections use TLS
   */
  public boolean tls() {
    return tls;
  }

  /**
   * @return the TLS context, or null to use the JVM's default context
   */
  public SSLContext sslContext() {
    return sslContext;
  }

  /**
   * @return the most unacknowledged deliveries one subscription holds
   */
  public int prefetch() {
    return prefetch;
  }

  /**
   * @return how many handler calls run at once per subscription
   */
  public int consumerThreads() {
    return consumerThreads;
  }

  /**
   * @return the most unconfirmed publishes one publishing channel holds
   */
  public int maxOutstandingPublishes() {
    return maxOutstandingPublishes;
  }

  /**
   * @return how long a publish waits for its confirm
   */
  public Duration confirmTimeout() {
    return confirmTimeout;
  }

  /**
   * @return how many times a message is delivered before it is dead-lettered
   */
  public int maxDeliveries() {
    return maxDeliveries;
  }

  /**
   * @return whether destinations are quorum queues (else classic queues)
   */
  public boolean quorumQueues() {
    return quorumQueues;
  }

  /**
   * @return whether {@code declare} creates the topology (otherwise it only checks that it exists)
   */
  public boolean createTopology() {
    return createTopology;
  }

  /**
   * @return the prefix put before every queue and exchange name the transport uses
   */
  public String namePrefix() {
    return namePrefix;
  }

  /**
   * @return the exchange destinations are bound to, without the prefix
   */
  public String exchange() {
    return exchange;
  }

  /**
   * @return the exchange dead-letter queues are bound to, without the prefix
   */
  public String deadLetterExchange() {
    return deadLetterExchange;
  }

  /**
   * @return the suffix that turns a destination into its dead-letter destination
   */
  public String deadLetterSuffix() {
    return deadLetterSuffix;
  }

  /**
   * @return the client-provided connection name
   */
  public String connectionName() {
    return connectionName;
  }

  /**
   * @return the pause between connection recovery attempts
   */
  public Duration recoveryInterval() {
    return recoveryInterval;
  }

  /**
   * Returns the largest body a publish accepts, which the transport reports as {@code
   * capabilities().maxMessageBytes()}.
   *
   * @return the largest body in bytes
   */
  public int maxMessageBytes() {
    return maxMessageBytes;
  }

  /**
   * Returns the settings with the password redacted; the exchanges are named as the broker knows
   * them, with the prefix.
   */
  @Override
  public String toString() {
    return "RabbitTransportSettings["
        + (tls ? "amqps" : "amqp")
        + "://"
        + username
        + ":****@"
        + host
        + ":"
        + port
        + " vhost="
        + virtualHost
        + ", prefetch="
        + prefetch
        + ", consumerThreads="
        + consumerThreads
        + ", maxOutstandingPublishes="
        + maxOutstandingPublishes
        + ", confirmTimeout="
        + confirmTimeout
        + ", maxDeliveries="
        + maxDeliveries
        + ", quorumQueues="
        + quorumQueues
        + ", createTopology="
        + createTopology
        + ", namePrefix='"
        + namePrefix
        + "', exchange="
        + namePrefix
        + exchange
        + ", deadLetterExchange="
        + namePrefix
        + deadLetterExchange
        + ", deadLetterSuffix="
        + deadLetterSuffix
        + ", connectionName="
        + connectionName
        + ", recoveryInterval="
        + recoveryInterval
        + ", maxMessageBytes="
        + maxMessageBytes
        + "]";
  }

  /**
   * Builds {@link RabbitTransportSettings}; each setter checks its argument at once. Not
   * thread-safe.
   */
  public static final class Builder {
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private String virtualHost = DEFAULT_VIRTUAL_HOST;
    private String username = DEFAULT_USERNAME;
    private String password = DEFAULT_PASSWORD;
    private boolean tls;
    private SSLContext sslContext;
    private int prefetch = DEFAULT_PREFETCH;
    private int consumerThreads = DEFAULT_CONSUMER_THREADS;
    private int maxOutstandingPublishes = DEFAULT_MAX_OUTSTANDING_PUBLISHES;
    private Duration confirmTimeout = DEFAULT_CONFIRM_TIMEOUT;
    private int maxDeliveries = DEFAULT_MAX_DELIVERIES;
    private boolean quorumQueues = DEFAULT_QUORUM_QUEUES;
    private boolean createTopology = DEFAULT_CREATE_TOPOLOGY;
    private String namePrefix = DEFAULT_NAME_PREFIX;
    private String exchange = DEFAULT_EXCHANGE;
    private String deadLetterExchange = DEFAULT_DEAD_LETTER_EXCHANGE;
    private String deadLetterSuffix = DEFAULT_DEAD_LETTER_SUFFIX;
    private String connectionName = DEFAULT_CONNECTION_NAME;
    private Duration recoveryInterval = DEFAULT_RECOVERY_INTERVAL;
    private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;

    private Builder() {}

    private Builder(RabbitTransportSettings s) {
      host = s.host;
      port = s.port;
      virtualHost = s.virtualHost;
      username = s.username;
      password = s.password;
      tls = s.tls;
      sslContext = s.sslContext;
      prefetch = s.prefetch;
      consumerThreads = s.consumerThreads;
      maxOutstandingPublishes = s.maxOutstandingPublishes;
      confirmTimeout = s.confirmTimeout;
      maxDeliveries = s.maxDeliveries;
      quorumQueues = s.quorumQueues;
      createTopology = s.createTopology;
      namePrefix = s.namePrefix;
      exchange = s.exchange;
      deadLetterExchange = s.deadLetterExchange;
      deadLetterSuffix = s.deadLetterSuffix;
      connectionName = s.connectionName;
      recoveryInterval = s.recoveryInterval;
      maxMessageBytes = s.maxMessageBytes;
    }

    /**
     * Sets the broker host. Defaults to {@value #DEFAULT_HOST}.
     *
     * @param host the host name or address
     * @return this builder
     * @throws NullPointerException if host is null
     * @throws IllegalArgumentException if blank or too long
     */
    public Builder host(String host) {
      this.host = Require.nonBlank(host, MAX_NAME_LENGTH, "host");
      return this;
    }

    /**
     * Sets the broker port. Defaults to {@value #DEFAULT_PORT}.
     *
     * @param port from 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder port(int port) {
      this.port = Require.between(port, 1, 65535, "port");
      return this;
    }

    /**
     * Sets the virtual host. Defaults to {@value #DEFAULT_VIRTUAL_HOST}.
     *
     * @param virtualHost the virtual host
     * @return this builder
     * @throws NullPointerException if virtualHost is null
     * @throws IllegalArgumentException if blank or too long
     */
    public Builder virtualHost(String virtualHost) {
      this.virtualHost = Require.nonBlank(virtualHost, MAX_NAME_LENGTH, "virtualHost");
      return this;
    }

    /**
     * Sets the user name. Defaults to {@value #DEFAULT_USERNAME}.
     *
     * @param username the user name
     * @return this builder
     * @throws NullPointerException if username is null
     * @throws IllegalArgumentException if blank or too long
     */
    public Builder username(String username) {
      this.username = Require.nonBlank(username, MAX_NAME_LENGTH, "username");
      return this;
    }

    /**
     * Sets the password; it is never logged. Defaults to the broker's stock {@code guest} password.
     *
     * @param password the password (may be empty, not null)
     * @return this builder
     * @throws NullPointerException if password is null
     */
    public Builder password(String password) {
      this.password = Require.nonNull(password, "password");
      return this;
    }

    /**
     * Turns TLS on or off. Defaults to off. With TLS on and no {@link #sslContext}, the JVM's
     * default context is used and the broker's host name is verified.
     *
     * @param tls whether to use TLS
     * @return this builder
     */
    public Builder tls(boolean tls) {
      this.tls = tls;
      return this;
    }

    /**
     * Sets the TLS context (trust store, client certificate) and turns TLS on. Defaults to none.
     *
     * @param sslContext the context
     * @return this builder
     * @throws NullPointerException if sslContext is null
     */
    public Builder sslContext(SSLContext sslContext) {
      this.sslContext = Require.nonNull(sslContext, "sslContext");
      this.tls = true;
      return this;
    }

    /**
     * Sets how many unacknowledged deliveries one subscription holds (AMQP basic.qos). Defaults to
     * {@value #DEFAULT_PREFETCH}.
     *
     * @param prefetch from 1 to 65535
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder prefetch(int prefetch) {
      this.prefetch = Require.between(prefetch, 1, 65535, "prefetch");
      return this;
    }

    /**
     * Sets how many handler calls run at once per subscription, each on a thread of its own.
     * Defaults to {@value #DEFAULT_CONSUMER_THREADS}.
     *
     * @param consumerThreads from 1 to 256
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder consumerThreads(int consumerThreads) {
      this.consumerThreads = Require.between(consumerThreads, 1, 256, "consumerThreads");
      return this;
    }

    /**
     * Sets the confirm window: the most publishes one publishing channel holds unconfirmed. A
     * publish that finds the window full waits for room, up to the confirm timeout. Defaults to
     * {@value #DEFAULT_MAX_OUTSTANDING_PUBLISHES}.
     *
     * @param maxOutstandingPublishes from 1 to 100000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxOutstandingPublishes(int maxOutstandingPublishes) {
      this.maxOutstandingPublishes =
          Require.between(maxOutstandingPublishes, 1, 100_000, "maxOutstandingPublishes");
      return this;
    }

    /**
     * Sets how long a publish waits for its confirm before its future fails. Defaults to 30
     * seconds.
     *
     * @param confirmTimeout a positive duration
     * @return this builder
     * @throws NullPointerException if confirmTimeout is null
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder confirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = Require.positive(confirmTimeout, "confirmTimeout");
      return this;
    }

    /**
     * Sets how many times a message is delivered before it is dead-lettered: a requeue (or handler
     * exception) of the last delivery moves it to the dead-letter queue with the reason, and a
     * message that arrives more often than this (its consumer died before settling it) is
     * dead-lettered without calling the handler. Defaults to {@value #DEFAULT_MAX_DELIVERIES}.
     *
     * @param maxDeliveries from 1 to 1000
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxDeliveries(int maxDeliveries) {
      this.maxDeliveries = Require.between(maxDeliveries, 1, 1000, "maxDeliveries");
      return this;
    }

    /**
     * Chooses quorum queues (replicated; the broker counts deliveries) over classic queues.
     * Defaults to classic queues. An existing queue keeps its type: the declare fails if it
     * differs.
     *
     * @param quorumQueues whether to declare quorum queues
     * @return this builder
     */
    public Builder quorumQueues(boolean quorumQueues) {
      this.quorumQueues = quorumQueues;
      return this;
    }

    /**
     * Chooses whether {@code declare} creates the exchanges, queues and bindings it needs ({@code
     * true}) or only checks, with passive declares, that they exist (when the host manages the
     * topology). Defaults to {@value #DEFAULT_CREATE_TOPOLOGY}.
     *
     * @param createTopology whether to create the topology
     * @return this builder
     */
    public Builder createTopology(boolean createTopology) {
      this.createTopology = createTopology;
      return this;
    }

    /**
     * Sets the prefix put before every queue and exchange name the transport uses, such as {@code
     * "staging."}, for example to keep environments apart on one broker. Defaults to empty (no
     * prefix).
     *
     * @param namePrefix at most 100 characters; may be empty
     * @return this builder
     * @throws NullPointerException if namePrefix is null
     * @throws IllegalArgumentException if longer than 100 characters
     */
    public Builder namePrefix(String namePrefix) {
      Require.nonNull(namePrefix, "namePrefix");
      if (namePrefix.length() > 100) {
        throw new IllegalArgumentException(
            "namePrefix must be at most 100 characters, but was '" + namePrefix + "'");
      }
      this.namePrefix = namePrefix;
      return this;
    }

    /**
     * Sets the direct exchange destinations are bound to. Defaults to {@value #DEFAULT_EXCHANGE}.
     *
     * @param exchange the exchange name, without the prefix
     * @return this builder
     * @throws NullPointerException if exchange is null
     * @throws IllegalArgumentException if blank or too long
     */
    public Builder exchange(String exchange) {
      this.exchange = Require.nonBlank(exchange, 100, "exchange");
      return this;
    }

    /**
     * Sets the direct exchange dead-letter queues are bound to. Defaults to {@value
     * #DEFAULT_DEAD_LETTER_EXCHANGE}.
     *
     * @param deadLetterExchange the exchange name, without the prefix
     * @return this builder
     * @throws NullPointerException if deadLetterExchange is null
     * @throws IllegalArgumentException if blank or too long
     */
    public Builder deadLetterExchange(String deadLetterExchange) {
      this.deadLetterExchange = Require.nonBlank(deadLetterExchange, 100, "deadLetterExchange");
      return this;
    }

    /**
     * Sets the suffix that turns a destination into its dead-letter destination. Defaults to
     * {@value #DEFAULT_DEAD_LETTER_SUFFIX}.
     *
     * @param deadLetterSuffix 1 to 50 non-blank characters
     * @return this builder
     * @throws NullPointerException if deadLetterSuffix is null
     * @throws IllegalArgumentException if blank or too long
     */
    public Builder deadLetterSuffix(String deadLetterSuffix) {
      this.deadLetterSuffix = Require.nonBlank(deadLetterSuffix, 50, "deadLetterSuffix");
      return this;
    }

    /**
     * Sets the client-provided connection name; the transport opens two connections, suffixed
     * {@code -publish} and {@code -consume}. Defaults to {@value #DEFAULT_CONNECTION_NAME}.
     *
     * @param connectionName the name
     * @return this builder
     * @throws NullPointerException if connectionName is null
     * @throws IllegalArgumentException if blank or too long
     */
    public Builder connectionName(String connectionName) {
      this.connectionName = Require.nonBlank(connectionName, 200, "connectionName");
      return this;
    }

    /**
     * Sets the pause between automatic connection recovery attempts. Defaults to 1 second.
     *
     * @param recoveryInterval a positive duration
     * @return this builder
     * @throws NullPointerException if recoveryInterval is null
     * @throws IllegalArgumentException if zero or negative
     */
    public Builder recoveryInterval(Duration recoveryInterval) {
      this.recoveryInterval = Require.positive(recoveryInterval, "recoveryInterval");
      return this;
    }

    /**
     * Sets the largest body a publish accepts; a larger one fails the publish with {@code
     * RejectedInputException}. Set it no higher than the broker's {@code max_message_size}.
     * Defaults to {@value #DEFAULT_MAX_MESSAGE_BYTES} bytes.
     *
     * @param maxMessageBytes from 1 to {@value #DEFAULT_MAX_MESSAGE_BYTES}
     * @return this builder
     * @throws IllegalArgumentException if out of range
     */
    public Builder maxMessageBytes(int maxMessageBytes) {
      this.maxMessageBytes =
          Require.between(maxMessageBytes, 1, DEFAULT_MAX_MESSAGE_BYTES, "maxMessageBytes");
      return this;
    }

    /**
     * Builds the settings.
     *
     * @return immutable settings
     * @throws IllegalArgumentException if the exchanges share a name
     */
    public RabbitTransportSettings build() {
      if (Objects.equals(exchange, deadLetterExchange)) {
        throw new IllegalArgumentException(
            "exchange and deadLetterExchange must differ, but both were '" + exchange + "'");
      }
      return new RabbitTransportSettings(this);
    }
  }
}
