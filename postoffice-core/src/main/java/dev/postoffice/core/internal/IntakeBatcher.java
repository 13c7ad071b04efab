package dev.postoffice.core.internal;

import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import java.time.Clock;
import java.util.List;

/**
 * Coalesces concurrent intake calls of one route into one store call ({@link GroupCommit}): under load a
 * database-backed route commits many messages per transaction instead of one each, and a lone caller pays no
 * delay. Intake is idempotent by entry id, so when a combined call fails, each caller's entries are stored
 * again on their own and each caller gets its own outcome.
 */
final class IntakeBatcher {
  /** The most entries one combined store call carries. */
  static final int MAX_ENTRIES = 1_000;

  private final GroupCommit<NewEntry, IntakeResult> group;

  IntakeBatcher(StatusStore store, Clock clock) {
    this.group = new GroupCommit<>(entries -> store.intake(entries, clock.instant()), MAX_ENTRIES);
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
