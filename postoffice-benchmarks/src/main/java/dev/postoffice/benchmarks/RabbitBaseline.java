package dev.postoffice.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.MessageProperties;
import dev.postoffice.rabbit.RabbitTransportSettings;
import java.nio.charset.StandardCharsets;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The RabbitMQ baseline: the same round trip with the plain Java client and nothing else. A
 * publisher sends the messages persistent to a durable queue with publisher confirms, at most
 * {@value #WINDOW} unconfirmed (the transport's default window); a "core" consumer takes each one
 * and publishes a persistent acknowledgement to a second queue, then acks the delivery (it does not
 * wait for that publish's confirm); a third consumer takes the acknowledgements. Done when every
 * acknowledgement is consumed. Prefetch {@value #PREFETCH} on both consumers, as the transport's
 * default. Queues of its own, deleted afterwards.
 */
final class RabbitBaseline {
  static final int WINDOW = RabbitTransportSettings.DEFAULT_MAX_OUTSTANDING_PUBLISHES;
  static final int PREFETCH = RabbitTransportSettings.DEFAULT_PREFETCH;

  private RabbitBaseline() {}

  /**
   * Runs once.
   *
   * @param messages how many
   * @param body each message's body (the pipeline's layer-4 payload, so sizes match)
   * @return the seconds it took and the process CPU per message in µs
   */
  static double[] run(int messages, byte[] body) throws Exception {
    String prefix = RabbitScenario.uniquePrefix();
    String queue = prefix + "baseline.core";
    String acks = prefix + "baseline.acks";
    ConnectionFactory factory = RabbitScenario.connectionFactory();
    try (Connection publisherSide = factory.newConnection("postoffice-bench-baseline-publisher");
        Connection coreSide = factory.newConnection("postoffice-bench-baseline-core")) {
      Channel setup = publisherSide.createChannel();
      setup.queueDeclare(queue, true, false, false, null);
      setup.queueDeclare(acks, true, false, false, null);
      try {
        CountDownLatch done = new CountDownLatch(messages);
        Channel ackChannel = publisherSide.createChannel();
        ackChannel.basicQos(PREFETCH);
        ackChannel.basicConsume(
            acks,
            false,
            (tag, delivery) -> {
              ackChannel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
              done.countDown();
            },
            tag -> {});
        Channel coreChannel = coreSide.createChannel();
        coreChannel.basicQos(PREFETCH);
        coreChannel
            .confirmSelect(); // the ack is published with confirms too, as the Core App receiver
        // does
        coreChannel.basicConsume(
            queue,
            false,
            (tag, delivery) -> {
              String id = delivery.getProperties().getMessageId();
              coreChannel.basicPublish(
                  "", acks, props(id + "-ack"), id.getBytes(StandardCharsets.UTF_8));
              coreChannel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            },
            tag -> {});

        Channel publisher = publisherSide.createChannel();
        publisher.confirmSelect();
        Semaphore window = new Semaphore(WINDOW);
        NavigableSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
        publisher.addConfirmListener(
            (seq, multiple) -> window.release(settle(unconfirmed, seq, multiple)),
            (seq, multiple) -> {
              throw new IllegalStateException("the broker refused message " + seq);
            });
        long cpuBefore = Stats.processCpuNanos();
        long started = System.nanoTime();
        for (int i = 0; i < messages; i++) {
          window.acquire();
          unconfirmed.add(publisher.getNextPublishSeqNo());
          publisher.basicPublish("", queue, props("m-" + i), body);
        }
        if (!done.await(10, TimeUnit.MINUTES)) {
          throw new IllegalStateException(
              "baseline did not finish: " + done.getCount() + " acks missing");
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new double[] {seconds, (Stats.processCpuNanos() - cpuBefore) / 1000.0 / messages};
      } finally {
        setup.queueDelete(queue);
        setup.queueDelete(acks);
      }
    }
  }

  /** Forgets the confirmed publishes and returns how many there were. */
  private static int settle(NavigableSet<Long> unconfirmed, long seq, boolean multiple) {
    if (!multiple) {
      return unconfirmed.remove(seq) ? 1 : 0;
    }
    NavigableSet<Long> confirmed = unconfirmed.headSet(seq, true);
    int n = confirmed.size();
    confirmed.clear();
    return n;
  }

  private static AMQP.BasicProperties props(String messageId) {
    return MessageProperties.PERSISTENT_BASIC
        .builder()
        .messageId(messageId)
        .contentType("application/json")
        .build();
  }
}
