package dev.postoffice;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.TraceId;

/**
 * What intake answers for one message.
 *
 * @param entryId the entry recorded for this message (a {@code DUPLICATE} entry for a duplicate)
 * @param traceId its trace
 * @param duplicateOf the entry first stored with the same dedup key, or null if this one is new
 */
public record IntakeReceipt(EntryId entryId, TraceId traceId, EntryId duplicateOf) {
  /**
   * Tells whether the message had been received before.
   *
   * @return true for a duplicate
   */
  public boolean isDuplicate() {
    return duplicateOf != null;
  }
}
