package dev.postoffice.sqs;

import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.transport.TransportContract;

/** Runs the {@link TransportContract} against standard queues on an embedded ElasticMQ. */
class SqsTransportContractTest extends TransportContract {
  @Override
  protected Transport createTransport() {
    return SqsTransport.create(ElasticMq.get().settings().maxDeliveries(maxDeliveries()).build());
  }
}
