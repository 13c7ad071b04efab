package dev.postoffice.sqs;

import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.TransportContract;

/** Runs the {@link TransportContract} against FIFO queues on an embedded ElasticMQ. */
class SqsFifoTransportContractTest extends TransportContract {
  @Override
  protected Transport createTransport() {
    return SqsTransport.create(ElasticMq.get().settings().fifo(true).maxDeliveries(maxDeliveries()).build());
  }
}
