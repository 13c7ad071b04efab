package dev.postoffice;

import dev.postoffice.model.RouteId;
import java.util.List;

/**
 * The door of an upstream route: stores partner messages as {@code JUST_IN} entries. When a call returns,
 * the messages are durable (as durable as the store) and will reach a terminal status. Ingestors call it; a
 * host can call it directly.
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
   * @throws BacklogFullException if the route's backlog is over its high-water mark (nothing stored)
   * @throws RejectedInputException if the message is over the route's size limit (recorded, not stored
   *     as work)
   * @throws StoreUnavailableException if the store is down (nothing stored; try again)
   */
  IntakeReceipt submit(RawMessage message);

  /**
   * Stores several messages in one store transaction: all or none.
   *
   * @param messages the messages
   * @return one receipt per message, in order
   * @throws BacklogFullException if the route's backlog is over its high-water mark (nothing stored)
   * @throws StoreUnavailableException if the store is down (nothing stored; try again)
   */
  List<IntakeReceipt> submitAll(List<RawMessage> messages);
}
