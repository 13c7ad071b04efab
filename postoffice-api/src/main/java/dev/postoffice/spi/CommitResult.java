package dev.postoffice.spi;

import dev.postoffice.model.EntryId;
import java.util.List;

/**
 * What {@link StatusStore#commit} did.
 *
 * @param applied the entries whose completion was applied, with their outputs
 * @param refused the entries whose claim no longer held (lease expired and taken by another node,
 *     or the status changed underneath); nothing of their completion was applied
 */
public record CommitResult(List<EntryId> applied, List<EntryId> refused) {
  /** Copies the lists. */
  public CommitResult {
    applied = List.copyOf(applied);
    refused = List.copyOf(refused);
  }
}
