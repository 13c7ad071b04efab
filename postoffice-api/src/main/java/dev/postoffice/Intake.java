package dev.postoffice;

import dev.postoffice.model.RouteId;
import dev.postoffice.spi.StaleCursorException;
import java.util.List;
import java.util.Optional;

/**
 * The door of an upstream route: stores partner messages as {@code JUST_IN} entries. When a call
 * returns, the messages are durable (as durable as the store) and will reach a terminal status.
 * Ingestors call it; a host can call it directly.
 *
 * <p>Thread-safe.
 */
public interface Intake {
  /**
   * Returns the route this intake feeds.
   *
   * @return the route
   */
  RouteId route();

  /**
   * Stores one message.
   *
   * @param message the message
   * @return its entry id, and whether it was a duplicate of an earlier one
   * @throws BacklogFullException if the route's backlog is over its high-water mark (nothing
   *     stored)
   * @throws RejectedInputException if the message is over the route's size limit (recorded, not
   *     stored as work)
   * @throws StoreUnavailableException if the store cannot be reached: nothing was stored, or, when
   *     the connection broke while the store committed, it was; give messages a dedup key, so that
   *     trying again is always safe (the retry is then recorded as a duplicate)
   */
  IntakeReceipt submit(RawMessage message);

  /**
   * Stores several messages in one store transaction, and answers per message. A message over the
   * route's size limit does not hold the others up: it is recorded once as a {@code REJECTED} entry
   * without its body (inserted in the same transaction as the others, then marked rejected), and
   * its receipt says so ({@link IntakeReceipt#isRejected()}, with the reason); the others are
   * stored, all or none. Unlike {@link #submit}, this method does not throw {@link
   * RejectedInputException}: check the receipts.
   *
   * @param messages the messages
   * @return one receipt per message, in order: stored, duplicate, or rejected
   * @throws BacklogFullException if the route's backlog is over its high-water mark (nothing
   *     stored)
   * @throws StoreUnavailableException if the store is down (nothing stored; try again)
   */
  List<IntakeReceipt> submitAll(List<RawMessage> messages);

  /**
   * Records a message the ingestor chose not to process, such as a webhook's event type the route
   * does not take (GitHub's {@code ping}): it is stored with its bytes and moved to {@code
   * FILTERED} at once, so it is traceable, and no stage works on it. Its dedup key counts as for
   * {@link #submit}: the same delivery again is a {@code DUPLICATE}. The route's backlog limit does
   * not apply (nothing is added to the work), its size limit does.
   *
   * @param message the message
   * @param reason why it is filtered, kept as the status change's detail
   * @return its entry id, and whether it was a duplicate of an earlier one
   * @throws RejectedInputException if the message is over the route's size limit (recorded, not
   *     stored as work)
   * @throws StoreUnavailableException if the store cannot be reached
   */
  IntakeReceipt submitFiltered(RawMessage message, String reason);

  /**
   * Reads a polling cursor of this route: where the last stored page ended.
   *
   * @param name the cursor's name (most routes have one, such as {@code "default"})
   * @return its value, or empty before the first page
   */
  Optional<String> cursor(String name);

  /**
   * Stores one page of a polled partner API and moves the route's cursor in the same store
   * transaction, so a crash between the two can neither skip nor repeat a page. Answers per message
   * as {@link #submitAll}: a record over the route's size limit is recorded once as {@code
   * REJECTED} (inserted with the page, so a page that is not stored records nothing), and the rest
   * of the page and the cursor are stored.
   *
   * @param messages the page's messages (may be empty: the cursor still moves)
   * @param cursorName the cursor's name
   * @param expected the value the cursor must still have (what {@link #cursor} returned), or null
   *     before the first page
   * @param next the cursor after this page
   * @return one receipt per message, in order: stored, duplicate, or rejected
   * @throws StaleCursorException if another poller moved the cursor first (nothing stored)
   * @throws BacklogFullException if the route's backlog is over its high-water mark (nothing
   *     stored)
   */
  List<IntakeReceipt> submitPage(
      List<RawMessage> messages, String cursorName, String expected, String next);
}
