package dev.postoffice;

import java.time.Duration;
import java.util.Optional;

/**
 * Thrown by a stage when a failure may go away by itself (a timeout, a 503): the entry becomes
 * {@code RETRYING} with a persisted next attempt time, or {@code FAILED} once the route's maximum
 * attempts are used. Any exception that is not a {@link RejectedInputException} or {@link
 * PermanentFailureException} is treated the same way; throw this one to pass a {@code Retry-After}
 * hint.
 */
public class TransientFailureException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  /**
   * Creates the exception.
   *
   * @param reason what failed
   */
  public TransientFailureException(String reason) {
    this(reason, null, null);
  }

  /**
   * Creates the exception with a hint of when to try again.
   *
   * @param reason what failed
   * @param retryAfter the earliest sensible next attempt, or null to use the route's backoff
   * @param cause the underlying error, or null
   */
  public TransientFailureException(String reason, Duration retryAfter, Throwable cause) {
    super(reason, cause);
    this.retryAfter = retryAfter;
  }

  /**
   * Returns the hint given by the failing side, such as a {@code Retry-After} header.
   *
   * @return the delay, if one was given
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
