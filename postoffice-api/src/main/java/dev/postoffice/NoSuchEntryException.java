package dev.postoffice;

import dev.postoffice.model.EntryId;

/** Thrown when an operation names an entry that the store does not hold. */
public class NoSuchEntryException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  private final transient EntryId entryId;

  /**
   * Creates the exception.
   *
   * @param entryId the missing entry
   */
  public NoSuchEntryException(EntryId entryId) {
    super("no entry with id " + entryId + " in the store");
    this.entryId = entryId;
  }

  /**
   * @return the missing entry's id
   */
  public EntryId entryId() {
    return entryId;
  }
}
