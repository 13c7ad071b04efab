package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Status;
import dev.postoffice.spi.HeldLease;
import dev.postoffice.spi.NewEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "lease renewal".
 * Renewing leases: which a renewal holds, and for how long.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class RenewalContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected RenewalContract(StoreFixture fixture) {
    super(fixture);
  }

  private Set<EntryId> renew(String owner, Duration duration, Entry... claimed) {
    List<HeldLease> leases = new ArrayList<>();
    for (Entry e : claimed) {
      leases.add(HeldLease.of(e));
    }
    return store.renew(owner, leases, duration, now());
  }

  @Test
  @DisplayName("confirms the leases the owner still holds and extends them from now")
  void confirmsAndExtends() {
    intakeOne();
    intakeOne();
    List<Entry> mine = claim(10);
    clock.advance(LEASE.minusSeconds(10));

    assertThat(renew(OWNER, LEASE, mine.toArray(new Entry[0])))
        .containsExactlyInAnyOrderElementsOf(ids(mine));
    clock.advance(Duration.ofSeconds(20)); // past the first expiry, before the renewed one
    assertThat(claim(route, Layer.L1, 10, OTHER)).isEmpty();
    for (Entry e : mine) {
      assertThat(get(e.id()).attempts()).as("a renewal is not a claim").isEqualTo(e.attempts());
      assertThat(history(e.id())).as("no history row").hasSize(1);
      assertThat(commit(done(e, Status.PROCESSED)).applied()).containsExactly(e.id());
    }
  }

  @Test
  @DisplayName(
      "does not hold a lease another node took over after it expired, and leaves that node's lease")
  void takenOver() {
    intakeOne();
    Entry mine = claim(1).get(0);
    clock.advance(LEASE);
    Entry theirs = claimOnly(OTHER);

    assertThat(renew(OWNER, LEASE.multipliedBy(10), mine)).isEmpty();
    assertThat(get(mine.id()).lease()).isEqualTo(theirs.lease());
  }

  @Test
  @DisplayName(
      "holds an expired lease that nobody took over, and keeps others out after renewing it")
  void expiredButNotTaken() {
    Entry e = intakeOne();
    Entry mine = claim(1).get(0);
    clock.advance(LEASE.multipliedBy(2));

    assertThat(renew(OWNER, LEASE, mine)).containsExactly(e.id());
    assertThat(claim(route, Layer.L1, 10, OTHER)).isEmpty();
  }

  @Test
  @DisplayName(
      "does not hold the lease of an entry completed meanwhile, nor one claimed again under a new token")
  void completedOrStale() {
    Entry a = intakeOne();
    Entry b = intakeOne();
    List<Entry> claimed = claim(10);
    Entry first = claimed.get(0).id().equals(a.id()) ? claimed.get(0) : claimed.get(1);
    Entry second = first == claimed.get(0) ? claimed.get(1) : claimed.get(0);
    commit(done(first, Status.PROCESSED));
    store.release(OWNER, now());
    claim(10); // the same owner claims b again: a new token

    assertThat(renew(OWNER, LEASE, first, second)).isEmpty();
    assertThat(second.id()).isEqualTo(b.id());
  }

  @Test
  @DisplayName("does not hold another owner's lease")
  void otherOwner() {
    intakeOne();
    Entry mine = claim(1).get(0);
    assertThat(renew(OTHER, LEASE, mine)).isEmpty();
    assertThat(get(mine.id()).lease().owner()).isEqualTo(OWNER);
  }

  @Test
  @DisplayName("never shortens a lease")
  void neverShortens() {
    intakeOne();
    Entry mine = claim(1).get(0);
    assertThat(renew(OWNER, Duration.ofSeconds(1), mine)).containsExactly(mine.id());
    clock.advance(LEASE.minusSeconds(1));
    assertThat(claim(route, Layer.L1, 10, OTHER)).isEmpty();
  }

  @Test
  @DisplayName("holds a lease given with a new entry (stored already claimed) under token 1")
  void preClaimed() {
    NewEntry n = root().withLease(new Lease(OWNER, now().plus(LEASE)));
    intake(n);
    assertThat(store.renew(OWNER, List.of(new HeldLease(n.id(), 1)), LEASE, now()))
        .containsExactly(n.id());
  }

  @Test
  @DisplayName(
      "leaves unknown entries out, counts a lease given twice once, and accepts an empty list")
  void unknownAndDuplicates() {
    intakeOne();
    Entry mine = claim(1).get(0);
    assertThat(
            store.renew(
                OWNER,
                List.of(HeldLease.of(mine), HeldLease.of(mine), new HeldLease(EntryId.random(), 1)),
                LEASE,
                now()))
        .containsExactly(mine.id());
    assertThat(store.renew(OWNER, List.of(), LEASE, now())).isEmpty();
  }

  @Test
  @DisplayName("refuses a lease duration that is not positive, with the rule and the value")
  void badDuration() {
    assertThatThrownBy(() -> store.renew(OWNER, List.of(), Duration.ZERO, now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leaseDuration must be positive, but was PT0S");
    assertThatThrownBy(() -> store.renew(null, List.of(), LEASE, now()))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("owner cannot be null");
  }
}
