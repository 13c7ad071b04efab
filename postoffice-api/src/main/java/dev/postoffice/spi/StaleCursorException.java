package dev.postoffice.spi;

import dev.postoffice.PostOfficeException;
import dev.postoffice.model.RouteId;

/**
 * Thrown by {@link StatusStore#intake(java.util.List, CursorUpdate, java.time.Instant)} when the
 * cursor no longer has the expected value: another node polled the same page first. Nothing was
 * stored.
 */
public class StaleCursorException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  private final transient RouteId route;
  private final String cursorName;

  /**
   * Creates the exception.
   *
   * @param route the route
   * @param cursorName the cursor
   * @param expected the value the caller expected
   * @param actual the value found, or null if none
   */
  public StaleCursorException(RouteId route, String cursorName, String expected, String actual) {
    super(
        "cursor '"
            + cursorName
            + "' of route "
            + route
            + " was expected to be '"
            + expected
            + "' but is '"
            + actual
            + "'; another poller advanced it");
    this.route = route;
    this.cursorName = cursorName;
  }

  /**
   * @return the route
   */
  public RouteId route() {
    return route;
  }

  /**
   * @return the cursor's name
   */
  public String cursorName() {
    return cursorName;
  }
}
