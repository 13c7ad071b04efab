package dev.postoffice;

import dev.postoffice.model.RouteId;
import java.time.Duration;

/**
 * Thrown by intake when a route's backlog (entries waiting for work) has passed its high-water
 * mark: the message was <em>not</em> stored and the caller should slow down and send it again after
 * {@link #retryAfter()}. A webhook answers 503 with a {@code Retry-After} header; a broker consumer
 * leaves the message on the queue. This is the backpressure signal: memory never grows with the
 * backlog.
 */
public class BacklogFullException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  private final transient RouteId route;
  private final long backlog;
  private final long highWaterMark;
  private final transient Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param route the route that refused
   * @param backlog its backlog when it refused
   * @param highWaterMark its configured high-water mark
   * @param retryAfter when to try again
   */
  public BacklogFullException(
      RouteId route, long backlog, long highWaterMark, Duration retryAfter) {
    super(
        "route "
            + route
            + " refused intake: backlog "
            + backlog
            + " is over its high-water mark "
            + highWaterMark
            + "; retry after "
            + retryAfter.toMillis()
            + " ms");
    this.route = route;
    this.backlog = backlog;
    this.highWaterMark = highWaterMark;
    this.retryAfter = retryAfter;
  }

  /**
   * @return the route that refused
   */
  public RouteId route() {
    return route;
  }

  /**
   * @return the backlog when it refused
   */
  public long backlog() {
    return backlog;
  }

  /**
   * @return the configured high-water mark
   */
  public long highWaterMark() {
    return highWaterMark;
  }

  /**
   * @return when to try again
   */
  public Duration retryAfter() {
    return retryAfter;
  }
}
