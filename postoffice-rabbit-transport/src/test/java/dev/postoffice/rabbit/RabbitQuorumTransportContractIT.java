package dev.postoffice.rabbit;

import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.transport.TransportContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the {@link TransportContract} against quorum queues on the real RabbitMQ, where the broker
 * counts deliveries itself ({@code x-delivery-count}), releases included; then deletes its queues.
 */
class RabbitQuorumTransportContractIT extends TransportContract {
  private final String prefix = Broker.uniquePrefix();
  private final List<String> destinations = new ArrayList<>();

  @BeforeAll
  static void needsRabbit() {
    Broker.assumeReachable();
  }

  @Override
  protected Transport createTransport() {
    return RabbitTransport.create(
        Broker.settings(prefix)
            .quorumQueues(true)
            .maxDeliveries(maxDeliveries())
            .maxMessageBytes(64 * 1024)
            .build());
  }

  /**
   * Pausing cancels the consumer; a quorum queue takes back a message that was on its way to the
   * cancelled consumer and counts it in x-delivery-count, though the client never saw it (so this
   * process cannot remember it as uncounted). At most one count per pause for such a message.
   */
  @Override
  protected boolean pauseKeepsDeliveryCount() {
    return false;
  }

  @Override
  protected String newDestination() {
    String d = super.newDestination();
    destinations.add(d);
    return d;
  }

  @Override
  protected void closeTransport(Transport t) {
    t.close();
    Broker.cleanUp(prefix, destinations);
  }
}
