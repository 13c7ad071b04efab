package dev.postoffice.core.internal.operator;

import java.time.Duration;

/**
 * The engine's settings for operator work.
 *
 * @param pauseRefresh how long the engine trusts what it last read of the paused routes; zero reads
 *     the store before every claim
 * @param replayRate the most entries per second a bulk replay replays on one node
 * @param replayLease how long a node holds a replay job between two progress records
 */
public record OperatorSettings(Duration pauseRefresh, int replayRate, Duration replayLease) {
  /** The defaults: pauses read every second, 200 replays per second, a 30-second job lease. */
  public static final OperatorSettings DEFAULTS =
      new OperatorSettings(Duration.ofSeconds(1), 200, Duration.ofSeconds(30));

  /** The largest page a replay job reads at once; smaller when the rate is lower. */
  static final int MAX_PAGE = 100;

  /**
   * Returns the page size of a replay job: about half a second of work at the rate, at most {@value
   * #MAX_PAGE}, so progress is recorded (and a cancel seen) often.
   *
   * @return the page size
   */
  int replayPage() {
    return Math.max(1, Math.min(MAX_PAGE, replayRate / 2));
  }
}
