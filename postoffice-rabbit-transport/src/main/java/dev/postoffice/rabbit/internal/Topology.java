package dev.postoffice.rabbit.internal;

import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ShutdownSignalException;
import dev.postoffice.rabbit.RabbitTransportException;
import dev.postoffice.rabbit.RabbitTransportSettings;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Names and declares (or, when the host manages the topology, verifies) the exchanges and queues of
 * a destination: queue {@code prefix + destination} bound to the direct exchange with its own name
 * as routing key, and queue {@code prefix + destination + suffix} bound likewise to the dead-letter
 * exchange, which the main queue also names as its {@code x-dead-letter-exchange}.
 */
public final class Topology {
  private final RabbitTransportSettings settings;
  private final Connection connection;
  private final Object lock = new Object();
  private Channel
      channel; // guarded by lock; long-lived, so topology recovery can re-declare through it

  /**
   * Creates the topology helper.
   *
   * @param settings the settings (names, queue type, declare or verify)
   * @param connection the connection to declare on
   */
  public Topology(RabbitTransportSettings settings, Connection connection) {
    this.settings = settings;
    this.connection = connection;
  }

  /**
   * @return the exchange destinations are bound to
   */
  public String exchange() {
    return settings.namePrefix() + settings.exchange();
  }

  /**
   * @return the exchange dead-letter queues are bound to
   */
  public String deadLetterExchange() {
    return settings.namePrefix() + settings.deadLetterExchange();
  }

  /**
   * Returns the queue of a destination.
   *
   * @param destination the destination
   * @return the prefixed queue name
   */
  public String queue(String destination) {
    return settings.namePrefix() + destination;
  }

  /**
   * Returns the destination name of a destination's dead-letter queue.
   *
   * @param destination the destination
   * @return its dead-letter destination
   */
  public String deadLetterDestination(String destination) {
    return destination + settings.deadLetterSuffix();
  }

  /**
   * Declares or verifies the destination, its dead-letter queue, both exchanges and the bindings.
   *
   * @param destination the destination
   * @throws RabbitTransportException if the broker refuses or, when verifying, something is missing
   */
  public void declare(String destination) {
    String queue = queue(destination);
    String dlq = queue(deadLetterDestination(destination));
    if (!settings.createTopology()) {
      verify("exchange", exchange());
      verify("exchange", deadLetterExchange());
      verify("queue", dlq);
      verify("queue", queue);
      return;
    }
    synchronized (lock) {
      try {
        declareOn(openChannel(), queue, dlq);
      } catch (IOException | ShutdownSignalException e) {
        throw new RabbitTransportException(
            "could not declare destination '"
                + destination
                + "' (queue '"
                + queue
                + "', dead-letter queue '"
                + dlq
                + "'): "
                + rootMessage(e)
                + " [Hint: an existing queue"
                + " keeps its arguments; a queue declared with another type or dead-letter exchange must be"
                + " deleted first]",
            e);
      }
    }
  }

  private Channel openChannel() throws IOException {
    if (channel == null || (!channel.isOpen() && connection.isOpen())) {
      channel = connection.createChannel(); // a refused declare closes the channel: open another
    }
    return channel;
  }

  private void declareOn(Channel ch, String queue, String dlq) throws IOException {
    ch.exchangeDeclare(exchange(), BuiltinExchangeType.DIRECT, true);
    ch.exchangeDeclare(deadLetterExchange(), BuiltinExchangeType.DIRECT, true);
    ch.queueDeclare(dlq, true, false, false, queueArguments());
    ch.queueBind(dlq, deadLetterExchange(), dlq);
    Map<String, Object> args = queueArguments();
    args.put("x-dead-letter-exchange", deadLetterExchange());
    args.put("x-dead-letter-routing-key", dlq);
    ch.queueDeclare(queue, true, false, false, args);
    ch.queueBind(queue, exchange(), queue);
  }

  private Map<String, Object> queueArguments() {
    Map<String, Object> args = new HashMap<>();
    if (settings
        .quorumQueues()) { // classic queues get no x-queue-type, to match queues declared without
      // one
      args.put("x-queue-type", "quorum");
    }
    return args;
  }

  private void verify(String kind, String name) {
    // A failed passive declare closes its channel, so each check gets a fresh one.
    try (Channel ch = connection.createChannel()) {
      if (kind.equals("exchange")) {
        ch.exchangeDeclarePassive(name);
      } else {
        ch.queueDeclarePassive(name);
      }
    } catch (IOException | ShutdownSignalException | java.util.concurrent.TimeoutException e) {
      throw new RabbitTransportException(
          kind
              + " '"
              + name
              + "' does not exist in virtual host '"
              + settings.virtualHost()
              + "' ("
              + rootMessage(e)
              + ") [Hint: createTopology is false, so the host"
              + " must create it; or set createTopology(true)]",
          e);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t.getMessage() != null ? t.getMessage() : t.toString();
  }
}
