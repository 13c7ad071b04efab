package dev.postoffice;

/**
 * Thrown by a stage when retrying cannot help although the input itself may be fine, for example a
 * partner answering 400 or 404 to a request: the entry becomes {@code FAILED} at once and waits for
 * an operator, who can replay it after fixing the cause.
 */
public class PermanentFailureException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param reason why retrying cannot help, with the partner's answer where there is one
   */
  public PermanentFailureException(String reason) {
    super(reason);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param reason why retrying cannot help
   * @param cause the underlying error
   */
  public PermanentFailureException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
