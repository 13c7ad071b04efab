package dev.postoffice.core.intake;

import java.time.Duration;
import java.util.Optional;

/**
 * What one poll did, as {@link PollingIngestor#pollOnce()} returns it.
 *
 * @param pages pages stored with their cursor
 * @param records records in them (duplicates and rejected ones included)
 * @param staleCursors times another node moved the cursor first (the page was dropped and the
 *     cursor read again)
 * @param failure the error that ended the poll, or null
 * @param nextPollIn when the scheduler polls again: the interval, or the backoff after a failure
 * @param rejected records among them recorded as {@code REJECTED} instead of stored as work (over
 *     the route's size limit); their pages and cursors were stored all the same
 */
public record PollResult(
    int pages,
    int records,
    int staleCursors,
    Throwable failure,
    Duration nextPollIn,
    int rejected) {
  /**
   * A result without rejected records, as earlier versions created it.
   *
   * @param pages pages stored with their cursor
   * @param records records in them
   * @param staleCursors times another node moved the cursor first
   * @param failure the error that ended the poll, or null
   * @param nextPollIn when the scheduler polls again
   */
  public PollResult(
      int pages, int records, int staleCursors, Throwable failure, Duration nextPollIn) {
    this(pages, records, staleCursors, failure, nextPollIn, 0);
  }

  /**
   * Returns the error that ended the poll.
   *
   * @return the failure, if there was one
   */
  public Optional<Throwable> error() {
    return Optional.ofNullable(failure);
  }
}
