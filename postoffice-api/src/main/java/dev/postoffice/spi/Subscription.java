package dev.postoffice.spi;

/** A running consumer of one destination. Closing it stops deliveries; unsettled messages are redelivered. */
public interface Subscription extends AutoCloseable {
  /**
   * Stops consuming; returns once no handler call of this subscription is running, except when called from
   * inside a handler of this subscription (it then does not wait for itself). On polling brokers this may
   * take up to one poll interval.
   */
  @Override
  void close();
}
