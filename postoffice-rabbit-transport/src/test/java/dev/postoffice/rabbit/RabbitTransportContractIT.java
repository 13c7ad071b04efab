package dev.postoffice.rabbit;

import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.transport.TransportContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;

/**
 * Runs the {@link TransportContract} against the real RabbitMQ on 127.0.0.1:5672, then deletes its
 * queues.
 */
class RabbitTransportContractIT extends TransportContract {
  private final String prefix = Broker.uniquePrefix();
  private final List<String> destinations = new ArrayList<>();

  @BeforeAll
  static void needsRabbit() {
    Broker.assumeReachable();
  }

  @Override
  protected Transport createTransport() {
    return RabbitTransport.create(
        Broker.settings(prefix).maxDeliveries(maxDeliveries()).maxMessageBytes(64 * 1024).build());
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
