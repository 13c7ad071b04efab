package dev.postoffice.core.intake;

/**
 * Fetches one page of a partner API after a cursor: the only code a host writes for a polled
 * partner. {@link PollingIngestor} stores the page and the new cursor in one store transaction.
 *
 * <pre>{@code
 * PageFetcher orders = cursor -> {
 *   AcmePage page = acme.listOrders(cursor == null ? "0" : cursor, 100);
 *   return new Page(page.items().stream().map(i -> RawMessage.json(i.json(), i.id())).toList(),
 *       page.nextCursor(), page.hasMore());
 * };
 * }</pre>
 */
@FunctionalInterface
public interface PageFetcher {
  /**
   * Fetches the page after a cursor. Throwing makes the poller back off and try the same cursor
   * later.
   *
   * @param cursor the stored cursor, or null before the first page
   * @return the page
   * @throws Exception if the partner cannot be reached or answers an error
   */
  Page fetch(String cursor) throws Exception;
}
