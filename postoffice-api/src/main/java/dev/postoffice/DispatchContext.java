package dev.postoffice;

import dev.postoffice.model.EntryId;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;

/**
 * What a {@link Dispatcher} knows about the entry it sends.
 *
 * @param route the route
 * @param entryId the layer-1 entry being dispatched
 * @param traceId the trace it belongs to
 * @param attempt 1 for the first try, then 2, 3, ...
 */
public record DispatchContext(RouteId route, EntryId entryId, TraceId traceId, int attempt) {
  /**
   * Returns the key partners use to recognise a repeated request: the entry id, the same on every
   * attempt.
   *
   * @return the idempotency key
   */
  public String idempotencyKey() {
    return entryId.value();
  }
}
