package dev.postoffice.core.intake;

import java.time.Duration;
import java.util.Optional;

/**
 * What one poll did, as {@link PollingIngestor#pollOnce()} returns it.
 *
 * @param pages pages stored with their cursor
 * @param records records in them (duplicates included)
 * @param staleCursors times another node moved the cursor first (the page was dropped and the cursor read
 *     again)
 * @param failure the error that ended the poll, or null
 * @param nextPollIn when the scheduler polls again: the interval, or the backoff after a failure
 */
public record PollResult(int pages, int records, int staleCursors, Throwable failure, Duration nextPollIn) {
  /**
   * Returns the error that ended the poll.
   *
   * @return the failure, if there was one
   */
  public Optional<Throwable> error() {
    return Optional.ofNullable(failure);
  }
}
