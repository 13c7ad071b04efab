package dev.postoffice.core.internal.stage;

import dev.postoffice.core.internal.route.Entries;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;

/**
 * Marks a message an ingestor chose not to process (a webhook's unwanted event type): it is stored
 * with a header giving the reason, leased to the intake's node, and moved to {@code FILTERED} at
 * once. If that move is lost (the node died, the store failed in between), the stage that claims
 * the entry after its lease filters it with the same reason instead of working on it.
 */
public final class IntakeFilter {
  /** The header that carries the reason of a filtered intake. */
  public static final String HEADER_FILTERED_REASON = "postoffice-filtered-reason";

  private IntakeFilter() {}

  /**
   * Returns the reason an intake entry was filtered with, or null for any other entry. Only the
   * entry's first generation: an operator who replays a filtered entry (the filter left out an
   * event type it should have kept) wants it worked on, not filtered again.
   */
  static String filteredReason(Entry entry) {
    return entry.layer() == Layer.L1
            && entry.generation() == 0
            && Entries.PRODUCED_BY_INTAKE.equals(entry.producedBy())
        ? entry.headers().get(HEADER_FILTERED_REASON)
        : null;
  }
}
