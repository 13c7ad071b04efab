package dev.postoffice;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.TraceId;

/**
 * What intake answers for one message: stored as new, recorded as a duplicate, or recorded as
 * rejected.
 *
 * @param entryId the entry recorded for this message (a {@code DUPLICATE} entry for a duplicate, a
 *     {@code REJECTED} one, without the body, for a rejected message)
 * @param traceId its trace
 * @param duplicateOf the entry first stored with the same dedup key, or null if this one is new
 * @param rejectedReason why the message was refused (such as being over the route's size limit), or
 *     null if it was stored; a rejected message is recorded once, as a {@code REJECTED} entry with
 *     this reason as its error, and is not worked on
 */
public record IntakeReceipt(
    EntryId entryId, TraceId traceId, EntryId duplicateOf, String rejectedReason) {
  /**
   * A receipt for a stored message (new or duplicate), as earlier versions created it.
   *
   * @param entryId the entry recorded for this message
   * @param traceId its trace
   * @param duplicateOf the entry first stored with the same dedup key, or null if this one is new
   */
  public IntakeReceipt(EntryId entryId, TraceId traceId, EntryId duplicateOf) {
    this(entryId, traceId, duplicateOf, null);
  }

  /**
   * Tells whether the message had been received before.
   *
   * @return true for a duplicate
   */
  public boolean isDuplicate() {
    return duplicateOf != null;
  }

  /**
   * Tells whether the message was refused and recorded as {@code REJECTED} instead of stored as
   * work.
   *
   * @return true for a rejected message; {@link #rejectedReason()} says why
   */
  public boolean isRejected() {
    return rejectedReason != null;
  }
}
