package dev.postoffice.testkit.transport;

import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.time.Duration;

/**
 * What the groups of {@link dev.postoffice.testkit.transport.TransportContract} test: the transport
 * a suite made for the current test, and what the suite declares about it (its patience, its
 * maximum deliveries, the promises its broker cannot keep). A group reads it before each test,
 * after the suite's own {@code @BeforeEach} made the transport.
 */
public interface TransportFixture {
  /**
   * Returns the transport under test.
   *
   * @return the transport made for the current test
   */
  Transport transport();

  /**
   * Returns a destination name no other test uses.
   *
   * @return a new name, not yet declared
   */
  String newDestination();

  /**
   * Subscribes a handler to a destination; the suite closes the subscription after the test.
   *
   * @param destination the destination
   * @param handler the handler
   * @return the subscription
   */
  Subscription subscribe(String destination, MessageHandler handler);

  /**
   * Returns how long to wait for something that must happen.
   *
   * @return the patience
   */
  Duration patience();

  /**
   * Returns how long to watch for something that must not happen.
   *
   * @return the quiet period
   */
  Duration quietPeriod();

  /**
   * Returns the maximum deliveries the transport was configured with.
   *
   * @return the configured maximum
   */
  int maxDeliveries();

  /**
   * Returns whether a released message comes back with the delivery count it had.
   *
   * @return whether a release keeps the count
   */
  boolean releaseKeepsDeliveryCount();

  /**
   * Returns whether a message caught in a pause comes back with the delivery count it had.
   *
   * @return whether a pause keeps the count
   */
  boolean pauseKeepsDeliveryCount();

  /**
   * Returns whether the transport hands a batch handler several waiting messages in one call.
   *
   * @return whether deliveries are batched
   */
  boolean batchesDeliveries();
}
