package dev.postoffice;

/**
 * A partner's answer to a dispatched request. A status code of 400 or more means the request was
 * not delivered: the entry is retried for 408, 425, 429 and 5xx, and fails at once for any other;
 * prefer throwing {@link TransientFailureException} or {@link PermanentFailureException} with a
 * reason.
 *
 * @param statusCode the partner's status code (HTTP or equivalent); 0 if the protocol has none
 * @param excerpt a bounded excerpt of the answer to keep on the entry; never null
 */
public record DispatchResult(int statusCode, String excerpt) {
  /** The longest excerpt kept; longer ones are cut. */
  public static final int MAX_EXCERPT = 1000;

  /** Cuts the excerpt to {@value #MAX_EXCERPT} characters. */
  public DispatchResult {
    excerpt =
        excerpt == null
            ? ""
            : excerpt.length() > MAX_EXCERPT ? excerpt.substring(0, MAX_EXCERPT) : excerpt;
  }

  /**
   * Returns a result for a partner that answered with a status code only.
   *
   * @param statusCode the status code
   * @return the result
   */
  public static DispatchResult of(int statusCode) {
    return new DispatchResult(statusCode, "");
  }
}
