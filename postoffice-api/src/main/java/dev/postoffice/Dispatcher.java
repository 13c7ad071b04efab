package dev.postoffice;

/**
 * Layer 1 downstream: sends a request to the partner. The entry is {@code DISPATCHED} when this
 * returns, with the result's excerpt kept in its history.
 *
 * <p>Send {@link DispatchContext#idempotencyKey()} to partners whose API takes one: a dispatch
 * interrupted by a crash is sent again with the same key. Throw {@link TransientFailureException}
 * (or any other exception) for failures worth retrying, {@link PermanentFailureException} when
 * retrying cannot help, and {@link RejectedInputException} when the request itself is bad.
 */
@FunctionalInterface
public interface Dispatcher {
  /**
   * Sends one request.
   *
   * @param request the request built by the route's normalizer
   * @param context the entry's ids and attempt number
   * @return the partner's answer
   */
  DispatchResult dispatch(PartnerRequest request, DispatchContext context);
}
