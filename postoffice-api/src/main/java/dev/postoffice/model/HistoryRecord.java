package dev.postoffice.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One status change of an entry. The first record of every entry has no {@code from} status.
 *
 * @param entryId the entry that changed
 * @param from the status before, or null when the entry was created
 * @param to the status after
 * @param at when it changed (the engine's clock)
 * @param detail why, for people: an error, the partner's answer, "republished"; may be null
 */
public record HistoryRecord(EntryId entryId, Status from, Status to, Instant at, String detail) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if entryId, to or at is null
   */
  public HistoryRecord {
    Objects.requireNonNull(entryId, "entryId cannot be null");
    Objects.requireNonNull(to, "to cannot be null");
    Objects.requireNonNull(at, "at cannot be null");
  }
}
