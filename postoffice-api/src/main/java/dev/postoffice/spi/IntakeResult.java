package dev.postoffice.spi;

import dev.postoffice.model.EntryId;

/**
 * What {@link StatusStore#intake} did with one new entry.
 *
 * @param entryId the id of the entry stored for it
 * @param duplicateOf the entry that first had the same route and dedup key, or null if this one was new;
 *     when set, the entry was stored with status {@code DUPLICATE}
 */
public record IntakeResult(EntryId entryId, EntryId duplicateOf) {
  /** @return true if the dedup key had been seen before */
  public boolean isDuplicate() {
    return duplicateOf != null;
  }
}
