package dev.postoffice;

/**
 * Thrown by a {@link dev.postoffice.spi.StatusStore} when the database cannot be reached or refused
 * the operation for a reason that may pass (connection lost, deadlock retries exhausted). Nothing
 * was changed; the engine keeps the work claimable and tries again.
 */
public class StoreUnavailableException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed
   * @param cause the driver's error
   */
  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
