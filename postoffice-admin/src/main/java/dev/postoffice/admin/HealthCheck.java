package dev.postoffice.admin;

/**
 * Tells whether something the pipeline needs is reachable, for the console's health endpoint: the
 * store is always checked; the host adds its broker ({@code () -> connection.isOpen()}) and
 * anything else it wants on the page.
 *
 * <p>Implementations must be thread-safe and quick (the endpoint calls them on each request).
 */
@FunctionalInterface
public interface HealthCheck {
  /**
   * Checks once.
   *
   * @return true if reachable
   * @throws Exception if the check itself failed; counted as unreachable, with the message shown
   */
  boolean reachable() throws Exception;
}
