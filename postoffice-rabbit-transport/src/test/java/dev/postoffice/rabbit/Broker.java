package dev.postoffice.rabbit;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.testkit.RequiredService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The local test broker: reachability check, unique names, clean-up, and a raw client for
 * inspection.
 */
final class Broker {
  static final String HOST = "127.0.0.1";
  static final int PORT = 5672;

  private Broker() {}

  static void assumeReachable() {
    RequiredService.assumeReachable("RabbitMQ", HOST, PORT);
  }

  /**
   * @return a unique name prefix, so parallel runs never share queues or exchanges
   */
  static String uniquePrefix() {
    return "it-" + UUID.randomUUID().toString().substring(0, 8) + ".";
  }

  static RabbitTransportSettings.Builder settings(String prefix) {
    return RabbitTransportSettings.builder()
        .host(HOST)
        .port(PORT)
        .namePrefix(prefix)
        .connectionName("postoffice-it")
        .confirmTimeout(Duration.ofSeconds(10));
  }

  /** Opens a raw client connection to the broker. */
  static Connection raw() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(HOST);
    f.setPort(PORT);
    return f.newConnection("postoffice-it-raw");
  }

  /** Deletes the queues of the destinations and the prefix's two exchanges. */
  static void cleanUp(String prefix, List<String> destinations) {
    try (Connection c = raw();
        Channel ch = c.createChannel()) {
      for (String d : destinations) {
        ch.queueDelete(prefix + d);
        ch.queueDelete(prefix + d + RabbitTransportSettings.DEFAULT_DEAD_LETTER_SUFFIX);
      }
      ch.exchangeDelete(prefix + RabbitTransportSettings.DEFAULT_EXCHANGE);
      ch.exchangeDelete(prefix + RabbitTransportSettings.DEFAULT_DEAD_LETTER_EXCHANGE);
    } catch (Exception e) {
      throw new IllegalStateException("clean-up of " + prefix + " failed", e);
    }
  }

  /** Waits for a condition that another thread makes true, failing after the timeout. */
  static void await(Duration timeout, BooleanSupplier condition, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what);
      }
      synchronized (monitor) {
        TimeUnit.MILLISECONDS.timedWait(monitor, 10);
      }
    }
  }
}
