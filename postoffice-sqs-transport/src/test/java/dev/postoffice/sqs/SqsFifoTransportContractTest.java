package dev.postoffice.sqs;

import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.transport.TransportContract;

/** Runs the {@link TransportContract} against FIFO queues on an embedded ElasticMQ. */
class SqsFifoTransportContractTest extends TransportContract {
  @Override
  protected Transport createTransport() {
    return SqsTransport.create(
        ElasticMq.get().settings().fifo(true).maxDeliveries(maxDeliveries()).build());
  }

  /**
   * FIFO queues call a batch handler one message at a time, so a requeue holds back the rest of its
   * group.
   */
  @Override
  protected boolean batchesDeliveries() {
    return false;
  }

  /**
   * FIFO queues put a message back with visibility 0, to keep its group's order, and SQS counts the
   * receive.
   */
  @Override
  protected boolean releaseKeepsDeliveryCount() {
    return false;
  }
}
