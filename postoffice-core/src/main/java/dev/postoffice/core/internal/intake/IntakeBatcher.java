package dev.postoffice.core.internal.intake;

import dev.postoffice.core.internal.GroupCommit;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import java.time.Clock;
import java.util.List;

/**
 * Coalesces concurrent intake calls of one route into few store calls ({@link GroupCommit}, at most
 * {@value #MAX_CALLS} at once): under load a database-backed route commits many messages per
 * transaction instead of one each, and a lone caller pays no delay. Intake is idempotent by entry
 * id, so when a combined call fails, each caller's entries are stored again on their own and each
 * caller gets its own outcome.
 */
final class IntakeBatcher {
  /** The most entries one combined store call carries. */
  static final int MAX_ENTRIES = 1_000;

  /**
   * The most store calls running at once. Two, not one: a submitter (a webhook's thread, say) waits
   * for its commit, and with one call at a time a second submitter spent most of that commit
   * waiting for the first's to end, then went alone (1.3 messages per call at two submitters). With
   * two, their round trips overlap: the round trip on RabbitMQ and PostgreSQL, two submitters, went
   * from 1,234-1,538 to 1,667-1,753 msgs/s (docs/performance.md, session 7); with 32 submitters it
   * stayed at about 3,000.
   */
  static final int MAX_CALLS = 2;

  private final GroupCommit<NewEntry, IntakeResult> group;

  IntakeBatcher(StatusStore store, Clock clock) {
    this.group =
        new GroupCommit<>(
            entries -> store.intake(entries, clock.instant()), MAX_ENTRIES, MAX_CALLS);
  }

  /** Stores the entries, alone or with other callers'; returns their results in order. */
  List<IntakeResult> intake(List<NewEntry> entries) {
    return group.run(entries);
  }

  /** The number of callers waiting for the next store call; for tests. */
  int waiting() {
    return group.waiting();
  }
}
