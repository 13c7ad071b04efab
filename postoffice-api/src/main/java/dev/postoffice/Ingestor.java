package dev.postoffice;

/**
 * Layer 1 upstream: brings partner data in (a webhook, a poller, a file watcher) and hands each
 * message to an {@link Intake}. The pipeline starts it after its stages run and stops it first on
 * shutdown, so nothing is taken in that cannot be worked on.
 */
public interface Ingestor extends AutoCloseable {
  /**
   * Starts taking messages in.
   *
   * @param intake where to store them
   */
  void start(Intake intake);

  /**
   * Stops taking messages in; messages already stored are not affected. Does nothing by default.
   */
  @Override
  default void close() {}
}
