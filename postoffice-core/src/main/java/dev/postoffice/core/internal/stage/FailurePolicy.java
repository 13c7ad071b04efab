package dev.postoffice.core.internal.stage;

import dev.postoffice.PermanentFailureException;
import dev.postoffice.PostOfficeException;
import dev.postoffice.RejectedInputException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import io.github.resilience4j.core.IntervalFunction;
import java.time.Duration;
import java.time.Instant;

/**
 * Decides what a failure makes of an entry: bad input is rejected at once, a permanent failure
 * fails at once, anything else is retried with exponential backoff and jitter until the route's
 * attempts are used. A longer wait a partner asks for ({@link
 * TransientFailureException#retryAfter()}) is kept, up to the route's {@code maxBackoff}.
 */
public final class FailurePolicy {
  /** The longest error text kept on an entry. */
  static final int MAX_ERROR_LENGTH = 2000;

  private final RetrySettings retry;
  private final IntervalFunction backoff;

  public FailurePolicy(RetrySettings retry) {
    this.retry = retry;
    this.backoff =
        IntervalFunction.ofExponentialRandomBackoff(
            retry.initialBackoff(), retry.multiplier(), retry.jitter(), retry.maxBackoff());
  }

  /** A decided failure. */
  public record Decision(Status status, String error, Instant nextAttemptAt) {}

  public Decision decide(Entry entry, Throwable failure, Instant now) {
    return decide(entry, failure, now, true);
  }

  /**
   * Decides, optionally without a limit on attempts.
   *
   * @param limited false for the publish stage: its entries' attempts also count republishes (a
   *     Core App away for hours), and a broker that is down is PostOffice's own unavailability, not
   *     the message's fault, so a transient publish failure is retried for as long as it lasts, at
   *     most {@code maxBackoff} apart
   */
  public Decision decide(Entry entry, Throwable failure, Instant now, boolean limited) {
    String error = describe(failure);
    if (failure instanceof RejectedInputException) {
      return new Decision(Status.REJECTED, error, null);
    }
    if (failure instanceof PermanentFailureException) {
      return new Decision(Status.FAILED, error, null);
    }
    if (limited && entry.attempts() >= retry.maxAttempts()) {
      return new Decision(
          Status.FAILED,
          truncate("gave up after " + entry.attempts() + " attempt(s): " + error),
          null);
    }
    // Past 30 attempts every back-off is at its cap anyway; unlimited attempts must not overflow
    // the power.
    Duration delay = Duration.ofMillis(backoff.apply(Math.min(30, Math.max(1, entry.attempts()))));
    if (failure instanceof TransientFailureException t
        && t.retryAfter().isPresent()
        && t.retryAfter().get().compareTo(delay) > 0) {
      // A partner's Retry-After is honoured up to the route's longest back-off: an absurd one
      // (years, or
      // past Instant.MAX) would otherwise park the entry for ever or overflow the due time's
      // arithmetic.
      delay =
          t.retryAfter().get().compareTo(retry.maxBackoff()) > 0
              ? retry.maxBackoff()
              : t.retryAfter().get();
    }
    return new Decision(Status.RETRYING, error, now.plus(delay));
  }

  /**
   * Describes a failure for people: PostOffice exceptions by their message, others with their type.
   */
  public static String describe(Throwable failure) {
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    String text =
        failure instanceof PostOfficeException
            ? message
            : failure.getClass().getName() + (message.isEmpty() ? "" : ": " + message);
    return truncate(text);
  }

  /**
   * The throwable to hand to a logger: itself, or, when its message is longer than {@value
   * #MAX_ERROR_LENGTH} characters (a 10 MB exception message from a partner's answer), a stand-in
   * with the message cut and the same stack trace, so one failure cannot write megabytes to the
   * log.
   */
  public static Throwable forLog(Throwable failure) {
    String message = failure.getMessage();
    if (message == null || message.length() <= MAX_ERROR_LENGTH) {
      return failure;
    }
    Throwable standIn =
        new Throwable(describe(failure), failure.getCause(), false, true) {
          private static final long serialVersionUID = 1L;

          @Override
          public String toString() {
            return getMessage(); // describe() already names the original type
          }
        };
    standIn.setStackTrace(failure.getStackTrace());
    return standIn;
  }

  static String truncate(String text) {
    return text.length() <= MAX_ERROR_LENGTH ? text : text.substring(0, MAX_ERROR_LENGTH) + "...";
  }
}
