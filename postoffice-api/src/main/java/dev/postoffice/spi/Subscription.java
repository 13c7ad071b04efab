package dev.postoffice.spi;

/** A running consumer of one destination. Closing it stops deliveries; unsettled messages are redelivered. */
public interface Subscription extends AutoCloseable {
  /** Stops consuming; returns once no handler call of this subscription is running. */
  @Override
  void close();
}
