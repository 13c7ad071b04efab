package dev.postoffice.spring.boot;

import dev.postoffice.core.PipelineBuilder;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code postoffice.*} properties the auto-configured pipeline is built from. Spring binds them
 * once, at start-up; the pipeline copies what it needs when it is built. Every property has a
 * default, so none is required: a {@code Route} bean is enough for a pipeline on the application's
 * database and broker.
 *
 * <pre>{@code
 * postoffice:
 *   store.table-prefix: shop_
 *   transport.rabbit.name-prefix: shop.
 *   shutdown-timeout: 20s
 * }</pre>
 */
@ConfigurationProperties("postoffice")
public class PostOfficeProperties {
  /** Whether to build a pipeline from the application's beans. */
  private boolean enabled = true;

  /** Whether the pipeline starts with the application context (and stops with it). */
  private boolean autoStartup = true;

  /** This node's id, the owner of its leases; unique per running instance. Default: random. */
  private String nodeId;

  /** The queue Core App acknowledgements arrive on. */
  // Literals, not the builder's constants, so the metadata shows the defaults (a test keeps them
  // equal).
  private String ackDestination = "postoffice-acks";

  /**
   * How long a graceful stop waits for in-flight batches before it interrupts them (leases still
   * held expire and other nodes take the entries). Keep it under {@code
   * spring.lifecycle.timeout-per-shutdown-phase} and the platform's grace period.
   */
  private Duration shutdownTimeout = Duration.ofSeconds(30);

  private final Store store = new Store();
  private final Transport transport = new Transport();

  /**
   * @return whether to build a pipeline
   */
  public boolean isEnabled() {
    return enabled;
  }

  /**
   * @param enabled whether to build a pipeline; default true
   */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /**
   * @return whether the pipeline starts with the context
   */
  public boolean isAutoStartup() {
    return autoStartup;
  }

  /**
   * @param autoStartup whether the pipeline starts with the context; default true
   */
  public void setAutoStartup(boolean autoStartup) {
    this.autoStartup = autoStartup;
  }

  /**
   * @return the node id, or null for a random one
   */
  public String getNodeId() {
    return nodeId;
  }

  /**
   * @param nodeId the node id; default a random {@code node-<uuid>}
   */
  public void setNodeId(String nodeId) {
    this.nodeId = nodeId;
  }

  /**
   * @return the acknowledgement queue
   */
  public String getAckDestination() {
    return ackDestination;
  }

  /**
   * @param ackDestination the acknowledgement queue; default {@value
   *     PipelineBuilder#DEFAULT_ACK_DESTINATION}
   */
  public void setAckDestination(String ackDestination) {
    this.ackDestination = ackDestination;
  }

  /**
   * @return how long a graceful stop waits
   */
  public Duration getShutdownTimeout() {
    return shutdownTimeout;
  }

  /**
   * @param shutdownTimeout how long a graceful stop waits; default 30 s
   */
  public void setShutdownTimeout(Duration shutdownTimeout) {
    this.shutdownTimeout = shutdownTimeout;
  }

  /**
   * @return the store's properties
   */
  public Store getStore() {
    return store;
  }

  /**
   * @return the transport's properties
   */
  public Transport getTransport() {
    return transport;
  }

  /** Which store the pipeline keeps its entries in. */
  public enum StoreType {
    /** {@code InMemoryStatusStore}: nothing survives a restart; for tests and demos. */
    MEMORY,
    /** {@code JdbcStatusStore} on the application's {@code DataSource}. */
    JDBC
  }

  /** Which transport carries messages to and from the Core App. */
  public enum TransportType {
    /** {@code InMemoryTransport}: within this process only; for tests and demos. */
    MEMORY,
    /** {@code RabbitTransport} through the application's RabbitMQ connection factory. */
    RABBIT,
    /** {@code SqsTransport} on the application's {@code SqsClient}. */
    SQS
  }

  /** The {@code postoffice.store.*} properties. */
  public static class Store {
    /**
     * The store. Default: jdbc when the application has a single DataSource and
     * postoffice-jdbc-store is on the class path, else memory.
     */
    private StoreType type;

    /** Whether to create or upgrade the store's tables on start-up. */
    private boolean migrate = true;

    /** Prefix of the store's table names; one prefix per pipeline sharing a schema. */
    private String tablePrefix = "po_";

    /** How long one statement of the JDBC store may run before it is cancelled. */
    private Duration statementTimeout = Duration.ofSeconds(30);

    /**
     * @return the store type, or null to choose from the application's beans
     */
    public StoreType getType() {
      return type;
    }

    /**
     * @param type the store type; default chosen from the application's beans
     */
    public void setType(StoreType type) {
      this.type = type;
    }

    /**
     * @return whether to migrate the schema on start-up
     */
    public boolean isMigrate() {
      return migrate;
    }

    /**
     * @param migrate whether to migrate the schema on start-up; default true
     */
    public void setMigrate(boolean migrate) {
      this.migrate = migrate;
    }

    /**
     * @return the table prefix
     */
    public String getTablePrefix() {
      return tablePrefix;
    }

    /**
     * @param tablePrefix the table prefix; default {@code po_}
     */
    public void setTablePrefix(String tablePrefix) {
      this.tablePrefix = tablePrefix;
    }

    /**
     * @return the statement timeout
     */
    public Duration getStatementTimeout() {
      return statementTimeout;
    }

    /**
     * @param statementTimeout the statement timeout; default 30 s
     */
    public void setStatementTimeout(Duration statementTimeout) {
      this.statementTimeout = statementTimeout;
    }
  }

  /** The {@code postoffice.transport.*} properties. */
  public static class Transport {
    /**
     * The transport. Default: rabbit when the application has a RabbitMQ connection factory and
     * postoffice-rabbit-transport is on the class path, else sqs when it has an SqsClient and
     * postoffice-sqs-transport, else memory.
     */
    private TransportType type;

    private final Rabbit rabbit = new Rabbit();
    private final Sqs sqs = new Sqs();

    /**
     * @return the transport type, or null to choose from the application's beans
     */
    public TransportType getType() {
      return type;
    }

    /**
     * @param type the transport type; default chosen from the application's beans
     */
    public void setType(TransportType type) {
      this.type = type;
    }

    /**
     * @return the RabbitMQ transport's properties
     */
    public Rabbit getRabbit() {
      return rabbit;
    }

    /**
     * @return the SQS transport's properties
     */
    public Sqs getSqs() {
      return sqs;
    }
  }

  /**
   * The {@code postoffice.transport.rabbit.*} properties. The broker's address and credentials are
   * Spring Boot's {@code spring.rabbitmq.*}.
   */
  public static class Rabbit {
    /** Prefix of every exchange and queue name the transport declares. */
    private String namePrefix = "";

    /** Whether to declare exchanges and queues (false: verify that they exist). */
    private boolean createTopology = true;

    /** Whether to declare quorum queues instead of classic ones. */
    private boolean quorumQueues = false;

    /** Deliveries of one message before it is dead-lettered. */
    private int maxDeliveries = 5;

    /** Unacknowledged deliveries per consumer. */
    private int prefetch = 250;

    /** How long a publish waits for the broker's confirm. */
    private Duration confirmTimeout = Duration.ofSeconds(30);

    /** Name of the transport's connections, as the broker's management UI shows them. */
    private String connectionName = "postoffice";

    /**
     * @return the name prefix
     */
    public String getNamePrefix() {
      return namePrefix;
    }

    /**
     * @param namePrefix the name prefix; default empty
     */
    public void setNamePrefix(String namePrefix) {
      this.namePrefix = namePrefix;
    }

    /**
     * @return whether to declare the topology
     */
    public boolean isCreateTopology() {
      return createTopology;
    }

    /**
     * @param createTopology whether to declare the topology; default true
     */
    public void setCreateTopology(boolean createTopology) {
      this.createTopology = createTopology;
    }

    /**
     * @return whether queues are quorum queues
     */
    public boolean isQuorumQueues() {
      return quorumQueues;
    }

    /**
     * @param quorumQueues whether queues are quorum queues; default false
     */
    public void setQuorumQueues(boolean quorumQueues) {
      this.quorumQueues = quorumQueues;
    }

    /**
     * @return deliveries before dead-lettering
     */
    public int getMaxDeliveries() {
      return maxDeliveries;
    }

    /**
     * @param maxDeliveries deliveries before dead-lettering; default 5
     */
    public void setMaxDeliveries(int maxDeliveries) {
      this.maxDeliveries = maxDeliveries;
    }

    /**
     * @return the prefetch
     */
    public int getPrefetch() {
      return prefetch;
    }

    /**
     * @param prefetch the prefetch; default 250
     */
    public void setPrefetch(int prefetch) {
      this.prefetch = prefetch;
    }

    /**
     * @return the confirm timeout
     */
    public Duration getConfirmTimeout() {
      return confirmTimeout;
    }

    /**
     * @param confirmTimeout the confirm timeout; default 30 s
     */
    public void setConfirmTimeout(Duration confirmTimeout) {
      this.confirmTimeout = confirmTimeout;
    }

    /**
     * @return the connection name
     */
    public String getConnectionName() {
      return connectionName;
    }

    /**
     * @param connectionName the connection name; default {@code postoffice}
     */
    public void setConnectionName(String connectionName) {
      this.connectionName = connectionName;
    }
  }

  /**
   * The {@code postoffice.transport.sqs.*} properties. Region, credentials and endpoint are the
   * application's {@code SqsClient} bean's.
   */
  public static class Sqs {
    /** Prefix of every queue name the transport creates or uses. */
    private String namePrefix = "";

    /** Whether queues are FIFO queues. */
    private boolean fifo = false;

    /** Whether to create queues (false: they must exist). */
    private boolean createTopology = true;

    /** Receives of one message before it is dead-lettered. */
    private int maxDeliveries = 5;

    /**
     * @return the name prefix
     */
    public String getNamePrefix() {
      return namePrefix;
    }

    /**
     * @param namePrefix the name prefix; default empty
     */
    public void setNamePrefix(String namePrefix) {
      this.namePrefix = namePrefix;
    }

    /**
     * @return whether queues are FIFO
     */
    public boolean isFifo() {
      return fifo;
    }

    /**
     * @param fifo whether queues are FIFO; default false
     */
    public void setFifo(boolean fifo) {
      this.fifo = fifo;
    }

    /**
     * @return whether to create queues
     */
    public boolean isCreateTopology() {
      return createTopology;
    }

    /**
     * @param createTopology whether to create queues; default true
     */
    public void setCreateTopology(boolean createTopology) {
      this.createTopology = createTopology;
    }

    /**
     * @return receives before dead-lettering
     */
    public int getMaxDeliveries() {
      return maxDeliveries;
    }

    /**
     * @param maxDeliveries receives before dead-lettering; default 5
     */
    public void setMaxDeliveries(int maxDeliveries) {
      this.maxDeliveries = maxDeliveries;
    }
  }
}
