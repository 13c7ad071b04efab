package dev.postoffice.spi;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import java.util.Objects;

/**
 * A lease a node believes it holds, as {@link StatusStore#renew} checks it: the entry and the
 * fencing token the claim returned (the entry's {@code attempts} at claim time).
 *
 * @param entryId the claimed entry
 * @param token the entry's {@code attempts} as the claim returned them
 */
public record HeldLease(EntryId entryId, int token) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if entryId is null
   */
  public HeldLease {
    Objects.requireNonNull(entryId, "entryId cannot be null");
  }

  /**
   * Returns the lease a claim (or a commit that stored the entry already leased) gave on an entry.
   *
   * @param claimed the entry as the claim returned it
   * @return its lease's entry id and token
   * @throws NullPointerException if claimed is null
   */
  public static HeldLease of(Entry claimed) {
    Objects.requireNonNull(claimed, "claimed cannot be null");
    return new HeldLease(claimed.id(), claimed.attempts());
  }
}
