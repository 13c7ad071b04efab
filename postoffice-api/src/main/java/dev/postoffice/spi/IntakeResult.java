package dev.postoffice.spi;

import dev.postoffice.model.EntryId;
import java.util.Objects;

/**
 * What {@link StatusStore#intake} did with one new entry.
 *
 * <p>Stores create it with {@link #stored} or {@link #duplicate}, which name what happened and
 * cannot swap the two ids; a later version may add a component without breaking them.
 *
 * @param entryId the id of the entry stored for it
 * @param duplicateOf the entry that first had the same route and dedup key, or null if this one was
 *     new; when set, the entry was stored with status {@code DUPLICATE}
 */
public record IntakeResult(EntryId entryId, EntryId duplicateOf) {
  /**
   * Returns the result for an entry stored as new: its dedup key had not been seen.
   *
   * @param entryId the id of the entry stored
   * @return a result that is not a duplicate
   * @throws NullPointerException if entryId is null
   */
  public static IntakeResult stored(EntryId entryId) {
    Objects.requireNonNull(entryId, "entryId cannot be null");
    return new IntakeResult(entryId, null);
  }

  /**
   * Returns the result for an entry stored as a {@code DUPLICATE} of an earlier one.
   *
   * @param entryId the id of the entry stored
   * @param original the entry that first had the same route and dedup key
   * @return a duplicate result
   * @throws NullPointerException if an argument is null
   */
  public static IntakeResult duplicate(EntryId entryId, EntryId original) {
    Objects.requireNonNull(entryId, "entryId cannot be null");
    Objects.requireNonNull(original, "original cannot be null");
    return new IntakeResult(entryId, original);
  }

  /**
   * @return true if the dedup key had been seen before
   */
  public boolean isDuplicate() {
    return duplicateOf != null;
  }
}
