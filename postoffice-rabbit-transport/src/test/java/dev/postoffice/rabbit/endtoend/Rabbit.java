package dev.postoffice.rabbit.endtoend;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.rabbit.RabbitTransportSettings;
import dev.postoffice.testkit.RequiredService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/** The local RabbitMQ for the end-to-end tests: unique names, transports, and clean-up. */
final class Rabbit {
  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;

  private Rabbit() {}

  /** Skips (or fails under the CI switch) unless RabbitMQ is reachable. */
  static void assumeReachable() {
    RequiredService.assumeReachable("RabbitMQ", HOST, PORT);
  }

  /**
   * @return a queue and exchange name prefix no other run uses
   */
  static String uniquePrefix() {
    return "e2e-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  /** Settings on the given port (the broker's, or a proxy's) with fast recovery for tests. */
  static RabbitTransportSettings.Builder settings(String prefix, int port) {
    return RabbitTransportSettings.builder()
        .host(HOST)
        .port(port)
        .namePrefix(prefix)
        .connectionName("postoffice-e2e")
        .confirmTimeout(Duration.ofSeconds(5))
        .recoveryInterval(Duration.ofMillis(200));
  }

  static RabbitTransport transport(String prefix) {
    return RabbitTransport.create(settings(prefix, PORT).build());
  }

  /** Deletes the destinations' queues and dead-letter queues, and the prefix's exchanges. */
  static void cleanUp(String prefix, List<String> destinations) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(HOST);
    f.setPort(PORT);
    try (Connection c = f.newConnection("postoffice-e2e-cleanup");
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
