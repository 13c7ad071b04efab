package dev.postoffice.core.internal.stage;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.HeldLease;
import dev.postoffice.spi.StatusStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Before each external call (a publish, a partner call), makes sure this node still holds the lease
 * of the entry it calls for, and that the lease outlasts the call: a call made under a lease
 * another node took over is made twice.
 *
 * <p>A lease younger than a third of its duration needs no store round trip: leases expire on the
 * store's one clock, never before their full duration has passed there, and the age is measured on
 * this node's clock from when the claim was asked for (the entry's {@code updatedAt}), so the skew
 * between the clocks does not enter. An older one is confirmed and extended with {@link
 * StatusStore#renew} for the whole batch at once (the entries already called wait for the batch's
 * commit, so their leases must last too), so a batch whose calls take long keeps its leases (one
 * round trip per third of a lease), and an entry another node took over is skipped.
 */
public final class LeaseGuard {
  private static final Logger log = LoggerFactory.getLogger(LeaseGuard.class);

  private final StatusStore store;
  private final String owner;
  private final Clock clock;
  private final RouteId route;
  private final Duration leaseDuration;
  private final Duration fresh;

  public LeaseGuard(EngineContext ctx, RouteId route, Duration leaseDuration) {
    this.store = ctx.store();
    this.owner = ctx.nodeId();
    this.clock = ctx.clock();
    this.route = route;
    this.leaseDuration = leaseDuration;
    this.fresh = leaseDuration.dividedBy(3);
  }

  /**
   * Starts guarding the calls of one batch.
   *
   * @param batch the claimed entries, in the order their calls will be made
   * @return the batch's leases
   */
  Batch of(List<Entry> batch) {
    return new Batch(batch);
  }

  /** The leases of one batch, confirmed as its calls go. Used by one thread. */
  final class Batch {
    /** The batch's leases, each entry once (its newest claim). */
    private final List<HeldLease> leases = new ArrayList<>();

    /** When each lease was last known held, on this node's clock. */
    private final Map<HeldLease, Instant> confirmedAt = new HashMap<>();

    private final Map<HeldLease, RuntimeException> lost = new HashMap<>();

    private Batch(List<Entry> entries) {
      // An entry can be in a batch twice: a copy handed over in memory whose lease expired
      // meanwhile, and the
      // claim of it this node then made from the store. Only the newest claim (the highest token)
      // may call.
      Map<EntryId, HeldLease> newest = new HashMap<>();
      for (Entry e : entries) {
        HeldLease lease = HeldLease.of(e);
        confirmedAt.putIfAbsent(lease, e.updatedAt());
        newest.merge(e.id(), lease, (a, b) -> a.token() >= b.token() ? a : b);
      }
      for (HeldLease lease : confirmedAt.keySet()) {
        if (newest.get(lease.entryId()).equals(lease)) {
          leases.add(lease);
        } else {
          lost.put(
              lease,
              new LeaseLost(
                  "not sent: entry "
                      + lease.entryId()
                      + " was claimed again by this node"
                      + " (token "
                      + newest.get(lease.entryId()).token()
                      + "); this copy's claim (token "
                      + lease.token()
                      + ") is stale"));
        }
      }
    }

    /**
     * Tells why no call may be made for an entry now, renewing the leases of the batch when the
     * entry's is no longer fresh.
     *
     * @param entry an entry of the batch
     * @return null if this node holds the lease (call away); else the failure to record as its
     *     outcome: a {@link LeaseLost} (commit nothing) or a transient failure (the lease could not
     *     be confirmed)
     */
    RuntimeException refusal(Entry entry) {
      HeldLease lease = HeldLease.of(entry);
      RuntimeException known = lost.get(lease);
      if (known != null) {
        return known;
      }
      Instant now = clock.instant();
      if (Duration.between(confirmedAt.get(lease), now).compareTo(fresh) < 0) {
        return null;
      }
      renew(now);
      return lost.get(lease);
    }

    private void renew(Instant now) {
      List<HeldLease> pending = new ArrayList<>();
      for (HeldLease lease : leases) {
        if (!lost.containsKey(lease)) {
          pending.add(lease);
        }
      }
      Set<EntryId> held;
      try {
        held = store.renew(owner, pending, leaseDuration, now);
      } catch (StoreUnavailableException e) {
        // Unconfirmed is not held: better no call than one another node may be making too. Nothing
        // is committed
        // for these entries (as for a lost lease), so the store's blip costs them no attempt and no
        // failure;
        // they are claimed again when their leases expire.
        LeaseLost unconfirmed =
            new LeaseLost(
                "not sent: this node could not confirm its lease, the store is unavailable: "
                    + e.getMessage());
        pending.forEach(l -> lost.put(l, unconfirmed));
        return;
      }
      Set<EntryId> gone = new HashSet<>();
      for (HeldLease lease : pending) {
        if (held.contains(lease.entryId())) {
          confirmedAt.put(lease, now);
        } else {
          gone.add(lease.entryId());
          lost.put(
              lease,
              new LeaseLost(
                  "not sent: this node's lease on entry "
                      + lease.entryId()
                      + " was taken over by another node or its status moved on; the newer work stands"));
        }
      }
      if (!gone.isEmpty()) {
        log.warn(
            "route {}: {} entries' leases were lost before their call (taken over after expiry, or their"
                + " status moved on); not sending them: {}",
            route,
            gone.size(),
            gone);
      }
    }
  }
}
