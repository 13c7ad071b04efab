package dev.postoffice.core.dispatch.internal;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The limits of every partner a dispatcher calls, keyed by scheme, host and port. A partner with no
 * request in flight or waiting for longer than the expiry is forgotten, so that a dispatcher
 * calling many hosts (one per tenant, say) does not keep every host it ever called. Forgetting is
 * invisible: a partner with no holder has all its slots free, and its rate bucket would have
 * refilled long before the expiry.
 *
 * <p>Each partner's holder count and last use change only inside {@code compute} on its own key, so
 * a partner cannot be dropped between being looked up and being held: a request never uses limits
 * no longer in the map (two sets of limits for one partner would let twice the requests through).
 */
public final class Partners {
  private final Map<String, Held> byPartner = new ConcurrentHashMap<>();
  private final Function<String, PartnerLimits> create;
  private final long expiryNanos;
  private final LongSupplier nanoTime;
  private final AtomicLong nextSweep;

  /**
   * Creates an empty registry.
   *
   * @param create makes the limits of a partner seen for the first time (or again after being
   *     forgotten)
   * @param expiry how long a partner without holders is kept
   * @param nanoTime the time source, such as {@code System::nanoTime}
   */
  public Partners(Function<String, PartnerLimits> create, Duration expiry, LongSupplier nanoTime) {
    this.create = create;
    this.expiryNanos = expiry.toNanos();
    this.nanoTime = nanoTime;
    this.nextSweep = new AtomicLong(nanoTime.getAsLong() + expiryNanos);
  }

  /**
   * Takes a slot with the partner's limits ({@link PartnerLimits#acquire()}); close the slot to
   * free it.
   *
   * @param partner the partner's scheme, host and port
   * @return the slot
   * @throws dev.postoffice.TransientFailureException if the limits refused the request within their
   *     waits
   */
  public Slot acquire(String partner) {
    sweepIfDue();
    Held held =
        byPartner.compute(
            partner,
            (key, current) -> {
              Held h = current != null ? current : new Held(create.apply(key));
              h.holders++;
              return h;
            });
    try {
      held.limits.acquire();
    } catch (RuntimeException e) {
      leave(partner);
      throw e;
    }
    return () -> {
      held.limits.release();
      leave(partner);
    };
  }

  /**
   * Returns how many partners are kept.
   *
   * @return the count
   */
  public int size() {
    return byPartner.size();
  }

  private void leave(String partner) {
    long now = nanoTime.getAsLong();
    byPartner.computeIfPresent(
        partner,
        (key, h) -> {
          h.holders--;
          h.lastUsed = now;
          return h;
        });
  }

  /**
   * Sweeps at most once per expiry period, so the cost per request stays constant however many
   * partners.
   */
  private void sweepIfDue() {
    long now = nanoTime.getAsLong();
    long due = nextSweep.get();
    if (now - due < 0 || !nextSweep.compareAndSet(due, now + expiryNanos)) {
      return;
    }
    for (String partner : byPartner.keySet()) {
      byPartner.computeIfPresent(
          partner, (key, h) -> h.holders == 0 && now - h.lastUsed >= expiryNanos ? null : h);
    }
  }

  /** A slot taken with a partner's limits. */
  @FunctionalInterface
  public interface Slot extends AutoCloseable {
    /** Frees the slot. */
    @Override
    void close();
  }

  /**
   * A partner's limits with their holders; both fields change only under the map's lock of their
   * key.
   */
  private static final class Held {
    final PartnerLimits limits;
    int holders;
    long lastUsed;

    Held(PartnerLimits limits) {
      this.limits = limits;
    }
  }
}
