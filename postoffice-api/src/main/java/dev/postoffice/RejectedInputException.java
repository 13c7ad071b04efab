package dev.postoffice;

/**
 * Thrown by a stage (normalizer, translator, dispatcher, codec) when its input is bad and will stay
 * bad: the entry becomes {@code REJECTED} at once, with this message as its reason, and is never
 * retried automatically. Any other exception a stage throws counts as transient and is retried.
 *
 * <pre>{@code
 * if (order.quantity() < 0) {
 *   throw new RejectedInputException("quantity must be >= 0, but was " + order.quantity());
 * }
 * }</pre>
 */
public class RejectedInputException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param reason what is wrong with the input, naming the field and the value
   */
  public RejectedInputException(String reason) {
    super(reason);
  }

  /**
   * Creates the exception with a cause, such as a parser error.
   *
   * @param reason what is wrong with the input
   * @param cause the underlying error
   */
  public RejectedInputException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
