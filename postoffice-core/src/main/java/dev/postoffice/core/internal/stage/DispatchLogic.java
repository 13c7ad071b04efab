package dev.postoffice.core.internal.stage;

import dev.postoffice.DispatchContext;
import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.PartnerRequest;
import dev.postoffice.PermanentFailureException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.core.internal.Mdc;
import dev.postoffice.core.internal.route.StoredRequest;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Codec;
import java.util.ArrayList;
import java.util.List;

/**
 * Layer 1 downstream: sends each request to the partner through the host's dispatcher, with the
 * entry id as idempotency key, and keeps the partner's answer in the history.
 */
public final class DispatchLogic implements StageLogic {
  /** Timeouts, throttling and server errors pass; any other 4xx will not. */
  static boolean isTransient(int status) {
    return status == 408 || status == 425 || status == 429 || status >= 500;
  }

  private final Dispatcher dispatcher;
  private final Codec codec;
  private final LeaseGuard leases;

  public DispatchLogic(Dispatcher dispatcher, Codec codec, LeaseGuard leases) {
    this.dispatcher = dispatcher;
    this.codec = codec;
    this.leases = leases;
  }

  @Override
  public List<Outcome> work(List<Entry> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    // Partner calls are slow and a batch runs them one after another: before each, the lease is
    // confirmed (and
    // extended once it is no longer fresh), so no call is made for an entry another node may be
    // sending too.
    LeaseGuard.Batch held = leases.of(batch);
    for (Entry entry : batch) {
      RuntimeException refusal = held.refusal(entry);
      if (refusal != null) {
        outcomes.add(Outcome.failed(entry, refusal));
        continue;
      }
      try (Mdc ignored = Mdc.of(entry)) {
        PartnerRequest request = StoredRequest.decode(entry.payload(), codec);
        DispatchResult result =
            dispatcher.dispatch(
                request,
                new DispatchContext(
                    entry.route(), entry.id(), entry.traceId(), entry.attempts(), entry.headers()));
        String answer =
            result == null
                ? "no answer"
                : "status "
                    + result.statusCode()
                    + (result.excerpt().isEmpty() ? "" : ": " + result.excerpt());
        int status = result == null ? 0 : result.statusCode();
        if (status >= 400) {
          // A dispatcher that reports an error status instead of throwing has not delivered the
          // request.
          outcomes.add(
              Outcome.failed(
                  entry,
                  isTransient(status)
                      ? new TransientFailureException("partner answered " + answer)
                      : new PermanentFailureException("partner answered " + answer)));
        } else {
          outcomes.add(Outcome.finished(entry, Status.DISPATCHED, answer));
        }
      } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
        outcomes.add(Outcome.failed(entry, e));
      }
    }
    return outcomes;
  }
}
