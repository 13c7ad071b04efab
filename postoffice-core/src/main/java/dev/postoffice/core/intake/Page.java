package dev.postoffice.core.intake;

import dev.postoffice.RawMessage;
import java.util.List;
import java.util.Objects;

/**
 * One page of a partner API, as a {@link PageFetcher} returns it.
 *
 * @param records the page's records, in the partner's order (may be empty)
 * @param nextCursor where the next page starts, or null to keep the current cursor (nothing new)
 * @param hasMore true if another page is ready right away (the poller follows it in the same poll)
 */
public record Page(List<RawMessage> records, String nextCursor, boolean hasMore) {
  /**
   * Checks the arguments and copies the records.
   *
   * @throws NullPointerException if records or one of them is null
   */
  public Page {
    Objects.requireNonNull(records, "records cannot be null");
    records = List.copyOf(records);
  }

  /**
   * Returns the last page: the records and the cursor after them, nothing more to fetch.
   *
   * @param records the records
   * @param nextCursor the cursor after them
   * @return the page
   */
  public static Page last(List<RawMessage> records, String nextCursor) {
    return new Page(records, nextCursor, false);
  }
}
