package dev.postoffice.rabbit;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One test's corner of the local broker, as a JUnit extension on an instance field: skips the test
 * unless the broker is reachable, gives it a name prefix no other run uses, and deletes its queues
 * and exchanges after it.
 */
final class BrokerScope implements BeforeEachCallback, AfterEachCallback {
  private final String prefix = Broker.uniquePrefix();
  private final List<String> destinations;
  private boolean reachable;

  private BrokerScope(List<String> destinations) {
    this.destinations = destinations;
  }

  /**
   * @return a scope that deletes these destinations' queues after each test
   */
  static BrokerScope deleting(String... destinations) {
    return new BrokerScope(List.of(destinations));
  }

  /**
   * @return the prefix of every queue and exchange the test declares
   */
  String prefix() {
    return prefix;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Broker.assumeReachable();
    reachable = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    // A skipped test declared nothing, and the clean-up would fail on an unreachable broker.
    if (reachable) {
      Broker.cleanUp(prefix, destinations);
    }
  }
}
