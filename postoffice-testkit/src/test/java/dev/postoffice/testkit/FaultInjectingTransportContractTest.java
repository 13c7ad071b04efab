package dev.postoffice.testkit;

import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.transport.TransportContract;

/**
 * A fault-injecting transport with its faults off is a transport like any other: it passes the
 * contract.
 */
class FaultInjectingTransportContractTest extends TransportContract {
  @Override
  protected Transport createTransport() {
    return FaultInjectingTransport.builder(
            InMemoryTransport.builder().maxDeliveries(maxDeliveries()).build())
        .build();
  }
}
