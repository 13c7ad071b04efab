package dev.postoffice.testkit;

import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.transport.TransportContract;

/** Runs the {@link TransportContract} against the reference {@link InMemoryTransport}. */
class InMemoryTransportContractTest extends TransportContract {
  @Override
  protected Transport createTransport() {
    return InMemoryTransport.builder()
        .maxDeliveries(maxDeliveries())
        .maxMessageBytes(64 * 1024)
        .build();
  }
}
