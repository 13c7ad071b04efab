package dev.postoffice.spi;

/**
 * A running consumer of one destination. Closing it stops deliveries; unsettled messages are
 * redelivered.
 *
 * <p>A subscription can be paused while its handler cannot take messages (its store is down, its
 * backlog full): it then stops taking messages from the broker, so that the broker neither counts
 * deliveries against the messages nor times the consumer out, and {@link #resume() resumes} when
 * told. Pausing is the handler's side of {@link Disposition#release}: the handler releases the
 * messages it already got and pauses, and whoever watches the handler's dependency resumes.
 */
public interface Subscription extends AutoCloseable {
  /**
   * Stops taking messages from the broker until {@link #resume()}. Returns without waiting for
   * handler calls that run, and may be called from inside a handler of this subscription. After it
   * returns, the subscription starts no new handler call: messages the broker had already handed it
   * (a prefetch, a receive in flight) are put back as if {@link Disposition#release released}, not
   * counting as deliveries. Handler calls running when it is called finish and are settled as they
   * say. Idempotent; a no-op on a closed subscription.
   *
   * <p>The default does nothing, for transports that cannot stop delivering: their handlers then
   * keep being offered messages they release, which costs broker round trips but loses nothing and
   * dead-letters nothing. Every transport in PostOffice implements it.
   */
  default void pause() {}

  /**
   * Takes messages from the broker again after {@link #pause()}; messages put back meanwhile are
   * delivered again. Returns without waiting for a delivery; may be called from any thread,
   * including a handler of this subscription. Idempotent; a no-op on a subscription that is not
   * paused or is closed.
   */
  default void resume() {}

  /**
   * Stops consuming; returns once no handler call of this subscription is running, except when
   * called from inside a handler of this subscription (it then does not wait for itself). On
   * polling brokers this may take up to one poll interval. A paused subscription can be closed.
   */
  @Override
  void close();
}
