package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Transport} passes. An implementation's test extends it and gives a
 * factory, plus the maximum deliveries it configured:
 *
 * <pre>{@code
 * class RabbitTransportContractIT extends TransportContract {
 *   @Override
 *   protected Transport createTransport() {
 *     return RabbitTransport.create(RabbitTransportSettings.builder().maxDeliveries(3).build());
 *   }
 * }
 * }</pre>
 *
 * <p>The tests come in groups, one class each in {@code dev.postoffice.testkit.transport}, which
 * this suite runs as {@code @Nested} classes; they take the transport this suite makes before each
 * test, and what the suite declares about it, through a {@link TransportFixture}.
 *
 * <p>Every test uses destinations of its own ({@link #newDestination()}). Deliveries are awaited
 * with latches and queues that give up after {@link #patience()}; no test sleeps. What a transport
 * declares it cannot do ({@link dev.postoffice.spi.TransportCapabilities}) is skipped with a
 * message.
 */
public abstract class TransportContract {
  /** The transport under test, fresh for each test. */
  protected Transport transport;

  private final List<Subscription> subscriptions = new ArrayList<>();
  private final TransportFixture fixture = new Fixture();

  /**
   * Returns a new transport to test, configured to dead-letter a message after {@link
   * #maxDeliveries()} deliveries. Called once per test.
   *
   * @return the transport
   */
  protected abstract Transport createTransport();

  /**
   * Closes the transport after a test. Override to delete the test's queues as well.
   *
   * @param t the transport
   */
  protected void closeTransport(Transport t) {
    t.close();
  }

  /**
   * Returns a destination name no other test uses.
   *
   * @return a random name
   */
  protected String newDestination() {
    return "contract-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /**
   * Returns how long to wait for an asynchronous delivery or confirmation. Defaults to 10 seconds.
   *
   * @return the patience
   */
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }

  /**
   * Returns how long a test watches for something that must not happen, such as a delivery to a
   * paused subscription. Defaults to half a second.
   *
   * @return the quiet period
   */
  protected Duration quietPeriod() {
    return Duration.ofMillis(500);
  }

  /**
   * Whether a {@link Disposition#release released} message comes back with the delivery count it
   * had, as the SPI promises. Override to return false only for a broker that cannot put a message
   * back without counting it and keep its order (an SQS FIFO queue): the test of that promise is
   * then skipped with a message.
   *
   * @return true by default
   */
  protected boolean releaseKeepsDeliveryCount() {
    return true;
  }

  /**
   * Whether a message caught in a {@link Subscription#pause() pause} (on its way to the consumer
   * when it was paused) comes back with the delivery count it had. Override to return false for a
   * broker that counts such a message as returned by the consumer (a RabbitMQ quorum queue): the
   * pause tests then do not check delivery counts.
   *
   * @return true by default
   */
  protected boolean pauseKeepsDeliveryCount() {
    return true;
  }

  /**
   * Returns the maximum deliveries the factory configured: a message requeued on that many
   * deliveries is dead-lettered (a broker may allow one more). Defaults to 3.
   *
   * @return the configured maximum
   */
  protected int maxDeliveries() {
    return 3;
  }

  @BeforeEach
  void createTheTransport() {
    transport = createTransport();
  }

  @AfterEach
  void closeTheTransport() {
    for (Subscription s : subscriptions) {
      try {
        s.close();
      } catch (RuntimeException e) {
        // closing twice or after the transport closed is allowed to complain
      }
    }
    if (transport != null) {
      closeTransport(transport);
    }
  }

  /**
   * Whether the transport hands a {@link BatchMessageHandler} several waiting messages in one call.
   * Override to return false for a transport that keeps calling it one message at a time (an SQS
   * FIFO queue, to keep each group's order); the batch tests then check only that every message is
   * handled and settled.
   *
   * @return true by default
   */
  protected boolean batchesDeliveries() {
    return true;
  }

  private Subscription subscribe(String destination, MessageHandler handler) {
    Subscription s = transport.subscribe(destination, handler);
    subscriptions.add(s);
    return s;
  }

  /**
   * Hands the groups the transport this suite made for the current test, and what it declares about
   * it.
   */
  private final class Fixture implements TransportFixture {
    @Override
    public Transport transport() {
      return transport;
    }

    @Override
    public String newDestination() {
      return TransportContract.this.newDestination();
    }

    @Override
    public Subscription subscribe(String destination, MessageHandler handler) {
      return TransportContract.this.subscribe(destination, handler);
    }

    @Override
    public Duration patience() {
      return TransportContract.this.patience();
    }

    @Override
    public Duration quietPeriod() {
      return TransportContract.this.quietPeriod();
    }

    @Override
    public int maxDeliveries() {
      return TransportContract.this.maxDeliveries();
    }

    @Override
    public boolean releaseKeepsDeliveryCount() {
      return TransportContract.this.releaseKeepsDeliveryCount();
    }

    @Override
    public boolean pauseKeepsDeliveryCount() {
      return TransportContract.this.pauseKeepsDeliveryCount();
    }

    @Override
    public boolean batchesDeliveries() {
      return TransportContract.this.batchesDeliveries();
    }
  }

  // ---- tests: one here, the rest in groups of dev.postoffice.testkit.transport
  // ----------------------------

  @Test
  @DisplayName("a transport states its capabilities")
  void statesCapabilities() {
    assertThat(transport.capabilities()).isNotNull();
    assertThat(transport.capabilities().maxMessageBytes()).isPositive();
  }

  @Nested
  @DisplayName("publishing")
  class Publishing extends PublishingContract {
    Publishing() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("oversized messages")
  class OversizedMessages extends OversizedMessagesContract {
    OversizedMessages() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("delivery")
  class Delivery extends DeliveryContract {
    Delivery() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("redelivery")
  class Redelivery extends RedeliveryContract {
    Redelivery() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("dead letters")
  class DeadLetters extends DeadLettersContract {
    DeadLetters() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("batch handlers")
  class BatchHandlers extends BatchHandlersContract {
    BatchHandlers() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("consumers")
  class Consumers extends ConsumersContract {
    Consumers() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("pausing and releasing")
  class PausingAndReleasing extends PausingAndReleasingContract {
    PausingAndReleasing() {
      super(fixture);
    }
  }
}
