package dev.postoffice;

/**
 * The root of every exception PostOffice throws. Unchecked: subclasses are named for what happened
 * and carry structured getters.
 */
public abstract class PostOfficeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates an exception.
   *
   * @param message what happened, and where possible how to fix it
   */
  protected PostOfficeException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a cause.
   *
   * @param message what happened, and where possible how to fix it
   * @param cause the underlying failure
   */
  protected PostOfficeException(String message, Throwable cause) {
    super(message, cause);
  }
}
