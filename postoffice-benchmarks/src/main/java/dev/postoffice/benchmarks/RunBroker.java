package dev.postoffice.benchmarks;

import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.spi.Transport;

/**
 * What carries one run's core messages and acknowledgements: a transport per node and one for the
 * Core App, all on the same broker. Made fresh for each run, so no message of one run leaks into
 * the next; closing it closes the transports and deletes the run's queues.
 */
interface RunBroker extends AutoCloseable {
  /** The transport node {@code node} publishes on and takes acknowledgements from. */
  Transport node(int node);

  /** The transport the Core App receiver consumes from and acknowledges on. */
  Transport core();

  /** The queue the upstream route publishes to. */
  String queue();

  @Override
  void close() throws Exception;

  /**
   * One in-memory transport shared by every node and the Core App, as one broker would be.
   *
   * @param messages the run's messages: the queue holds them all, so a slow consumer never blocks a
   *     publish
   * @return the broker
   */
  static RunBroker inMemory(int messages) {
    InMemoryTransport transport =
        InMemoryTransport.builder()
            .capacityPerDestination(
                Math.max(InMemoryTransport.DEFAULT_CAPACITY_PER_DESTINATION, messages + 1))
            .build();
    return new RunBroker() {
      @Override
      public Transport node(int node) {
        return transport;
      }

      @Override
      public Transport core() {
        return transport;
      }

      @Override
      public String queue() {
        return UpstreamRun.QUEUE;
      }

      @Override
      public void close() {
        transport.close();
      }
    };
  }
}
