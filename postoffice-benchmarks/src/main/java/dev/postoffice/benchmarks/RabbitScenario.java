package dev.postoffice.benchmarks;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.rabbit.RabbitTransportSettings;
import dev.postoffice.spi.Transport;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The {@code rabbit} scenario's broker: RabbitMQ at 127.0.0.1:5672 as guest/guest, one {@link
 * RabbitTransport} (its own connection) per node and one for the Core App, every queue and exchange
 * under a name prefix of the run's own, deleted when the run closes.
 */
final class RabbitScenario {
  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;

  private RabbitScenario() {}

  static boolean reachable() {
    return StoreSetup.reachable(HOST, PORT);
  }

  /** A connection factory for the plain client (baseline and clean-up). */
  static ConnectionFactory connectionFactory() {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(HOST);
    f.setPort(PORT);
    f.setUsername("guest");
    f.setPassword("guest");
    return f;
  }

  /**
   * @return a queue and exchange name prefix no other run uses
   */
  static String uniquePrefix() {
    return "bench-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  /**
   * Opens one run's transports.
   *
   * @param nodes how many nodes publish
   * @return the broker; closing it closes the transports and deletes the run's queues and exchanges
   */
  static RunBroker broker(int nodes) {
    String prefix = uniquePrefix();
    List<RabbitTransport> transports = new ArrayList<>();
    try {
      for (int n = 0; n <= nodes; n++) {
        transports.add(
            RabbitTransport.create(
                RabbitTransportSettings.builder()
                    .host(HOST)
                    .port(PORT)
                    .username("guest")
                    .password("guest")
                    .namePrefix(prefix)
                    .connectionName(
                        n < nodes ? "postoffice-bench-node-" + n : "postoffice-bench-core")
                    .build()));
      }
    } catch (RuntimeException e) {
      transports.forEach(RabbitTransport::close);
      throw e;
    }
    return new RunBroker() {
      @Override
      public Transport node(int node) {
        return transports.get(node);
      }

      @Override
      public Transport core() {
        return transports.get(nodes);
      }

      @Override
      public String queue() {
        return UpstreamRun.QUEUE;
      }

      @Override
      public void close() throws Exception {
        transports.forEach(RabbitTransport::close);
        cleanUp(prefix, List.of(UpstreamRun.QUEUE, PipelineBuilder.DEFAULT_ACK_DESTINATION));
      }
    };
  }

  /** Deletes the destinations' queues and dead-letter queues, and the prefix's exchanges. */
  private static void cleanUp(String prefix, List<String> destinations) throws Exception {
    try (Connection c = connectionFactory().newConnection("postoffice-bench-cleanup");
        Channel ch = c.createChannel()) {
      for (String d : destinations) {
        ch.queueDelete(prefix + d);
        ch.queueDelete(prefix + d + RabbitTransportSettings.DEFAULT_DEAD_LETTER_SUFFIX);
      }
      ch.exchangeDelete(prefix + RabbitTransportSettings.DEFAULT_EXCHANGE);
      ch.exchangeDelete(prefix + RabbitTransportSettings.DEFAULT_DEAD_LETTER_EXCHANGE);
    }
  }
}
