package dev.postoffice.spi;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The result of working on one claimed entry: its new status and the outputs to insert, applied
 * together by {@link StatusStore#commit} only if the claim still holds.
 *
 * @param entryId the claimed entry
 * @param owner the node that claimed it
 * @param leaseToken the entry's {@code attempts} as returned by the claim: the fencing token
 * @param newStatus the status to move to (it may equal the current one only for {@code RETRYING})
 * @param detail why, for the history row; may be null; made storable with {@link
 *     StorableText#detail}
 * @param lastError the error to record on the entry, or null to clear it; made storable with {@link
 *     StorableText#detail}
 * @param nextAttemptAt for {@code RETRYING}, when the entry is due again; otherwise null
 * @param outputs entries to insert; an output whose id already exists is left as it is
 */
public record Completion(
    EntryId entryId,
    String owner,
    int leaseToken,
    Status newStatus,
    String detail,
    String lastError,
    Instant nextAttemptAt,
    List<NewEntry> outputs) {
  /**
   * Checks the arguments and copies the outputs.
   *
   * @throws NullPointerException if entryId, owner or newStatus is null
   * @throws IllegalArgumentException if newStatus is RETRYING without a next attempt time
   */
  public Completion {
    Objects.requireNonNull(entryId, "entryId cannot be null");
    Objects.requireNonNull(owner, "owner cannot be null");
    Objects.requireNonNull(newStatus, "newStatus cannot be null");
    outputs = outputs == null ? List.of() : List.copyOf(outputs);
    detail = StorableText.detail(detail);
    lastError = StorableText.detail(lastError);
    if (newStatus == Status.RETRYING && nextAttemptAt == null) {
      throw new IllegalArgumentException("nextAttemptAt is required for RETRYING, but was null");
    }
  }
}
