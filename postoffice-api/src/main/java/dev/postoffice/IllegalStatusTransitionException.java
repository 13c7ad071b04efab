package dev.postoffice;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;

/**
 * Thrown when something tries to move an entry between two statuses that the lifecycle does not
 * link.
 */
public class IllegalStatusTransitionException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  private final transient EntryId entryId;
  private final Status from;
  private final Status to;

  /**
   * Creates the exception.
   *
   * @param entryId the entry
   * @param from its current status
   * @param to the refused status
   */
  public IllegalStatusTransitionException(EntryId entryId, Status from, Status to) {
    super(
        "entry "
            + entryId
            + " cannot move from "
            + from.name()
            + " to "
            + to.name()
            + "; allowed from "
            + from.name()
            + ": "
            + from.allowedNext());
    this.entryId = entryId;
    this.from = from;
    this.to = to;
  }

  /**
   * Checks a move against the lifecycle ({@link Status#canMoveTo}).
   *
   * @param entryId the entry that moves, for the message
   * @param from its current status
   * @param to the new status
   * @throws IllegalStatusTransitionException if the move is not allowed
   */
  public static void check(EntryId entryId, Status from, Status to) {
    if (!from.canMoveTo(to)) {
      throw new IllegalStatusTransitionException(entryId, from, to);
    }
  }

  /**
   * @return the entry that was to move
   */
  public EntryId entryId() {
    return entryId;
  }

  /**
   * @return its status at the time
   */
  public Status from() {
    return from;
  }

  /**
   * @return the refused status
   */
  public Status to() {
    return to;
  }
}
