package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "claiming". Which
 * due entries a claim leases, in what order, how many, and to whom.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class ClaimingContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected ClaimingContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("leases a JUST_IN entry to the owner, counts the attempt and includes the payload")
  void claimsJustIn() {
    Entry e = intakeOne();
    tick();
    List<Entry> claimed = claim(10);

    assertThat(claimed).hasSize(1);
    Entry c = claimed.get(0);
    assertThat(c.id()).isEqualTo(e.id());
    assertThat(c.lease()).isEqualTo(new Lease(OWNER, now().plus(LEASE)));
    assertThat(c.attempts()).isEqualTo(1);
    assertThat(c.payload()).isEqualTo(e.payload());
    assertThat(c.status()).isEqualTo(Status.JUST_IN);
    assertThat(get(e.id()).lease()).isEqualTo(c.lease());
    assertThat(get(e.id()).attempts()).isEqualTo(1);
  }

  @Test
  @DisplayName("returns nothing when nothing is due")
  void nothingDue() {
    assertThat(claim(10)).isEmpty();
  }

  @Test
  @DisplayName("claims a RETRYING entry only once its next attempt time has come")
  void retryingWhenDue() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    Instant next = now().plus(Duration.ofMinutes(5));
    commit(retry(claimed, next, "timeout"));

    clock.set(next.minusSeconds(1));
    assertThat(claim(10)).isEmpty();
    clock.set(next);
    List<Entry> again = claim(10);
    assertThat(again).extracting(Entry::id).containsExactly(claimed.id());
    assertThat(again.get(0).attempts()).isEqualTo(2);
    assertThat(again.get(0).status()).isEqualTo(Status.RETRYING);
  }

  @Test
  @DisplayName("returns the oldest entries first, by creation time")
  void oldestFirst() {
    NewEntry a = root();
    NewEntry b = root();
    NewEntry c = root();
    store.intake(List.of(c), T0.plusSeconds(2));
    store.intake(List.of(a), T0);
    store.intake(List.of(b), T0.plusSeconds(1));
    clock.set(T0.plusSeconds(3));

    assertThat(claim(10)).extracting(Entry::id).containsExactly(a.id(), b.id(), c.id());
  }

  @Test
  @DisplayName("orders due RETRYING entries among JUST_IN ones by creation time")
  void retryingAmongNew() {
    Entry old = intakeOne();
    Entry claimed = claim(1).get(0);
    commit(retry(claimed, now().plusSeconds(10), "busy"));
    tick();
    Entry young = intakeOne();
    clock.advance(Duration.ofSeconds(20));
    assertThat(claim(10)).extracting(Entry::id).containsExactly(old.id(), young.id());
  }

  @Test
  @DisplayName("returns at most the limit and leaves the rest for the next claim")
  void limit() {
    for (int i = 0; i < 5; i++) {
      intakeOne();
      tick();
    }
    List<Entry> first = claim(3);
    List<Entry> second = claim(3);
    assertThat(first).hasSize(3);
    assertThat(second).hasSize(2);
    assertThat(ids(first)).doesNotContainAnyElementsOf(ids(second));
    assertThat(claim(3)).isEmpty();
  }

  @Test
  @DisplayName("does not hand out a leased entry again while the lease holds, to anyone")
  void leaseHolds() {
    intakeOne();
    claim(10);
    clock.advance(LEASE.minusSeconds(1));
    assertThat(claim(route, Layer.L1, 10, OTHER)).isEmpty();
    assertThat(claim(route, Layer.L1, 10, OWNER)).isEmpty();
  }

  @Test
  @DisplayName("hands out an entry again once its lease expired, with the attempt counted again")
  void reclaimAfterExpiry() {
    Entry e = intakeOne();
    claim(10);
    clock.advance(LEASE);
    List<Entry> again = claim(route, Layer.L1, 10, OTHER);
    assertThat(again).extracting(Entry::id).containsExactly(e.id());
    assertThat(again.get(0).attempts()).isEqualTo(2);
    assertThat(again.get(0).lease()).isEqualTo(new Lease(OTHER, now().plus(LEASE)));
  }

  @Test
  @DisplayName("claims only entries of the requested route")
  void routeIsolation() {
    intakeOne(root(otherRoute, Layer.L1));
    Entry mine = intakeOne();
    assertThat(claim(10)).extracting(Entry::id).containsExactly(mine.id());
    assertThat(claim(otherRoute, Layer.L1, 10, OWNER)).hasSize(1);
  }

  @Test
  @DisplayName("claims only entries of the requested layer")
  void layerIsolation() {
    Entry l2 = intakeOne(root(route, Layer.L2));
    Entry l1 = intakeOne();
    assertThat(claim(route, Layer.L2, 10, OWNER)).extracting(Entry::id).containsExactly(l2.id());
    assertThat(claim(route, Layer.L1, 10, OWNER)).extracting(Entry::id).containsExactly(l1.id());
    assertThat(claim(route, Layer.L3, 10, OWNER)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Status.class,
      names = {"JUST_IN", "RETRYING"},
      mode = EnumSource.Mode.EXCLUDE)
  @DisplayName("never claims an entry whose status is not claimable")
  void notClaimable(Status status) {
    Entry e = entryIn(status);
    clock.advance(Duration.ofDays(1));
    assertThat(claim(e.route(), Layer.L1, 10, OTHER)).extracting(Entry::id).doesNotContain(e.id());
  }

  @Test
  @DisplayName("creates an entry given with a lease already claimed: one attempt, that lease")
  void preClaimed() {
    Lease lease = new Lease(OWNER, now().plus(LEASE));
    NewEntry n = root().withLease(lease);
    intake(n);

    Entry e = get(n.id());
    assertThat(e.attempts()).isEqualTo(1);
    assertThat(e.lease()).isEqualTo(lease);
    assertThat(e.status()).isEqualTo(Status.JUST_IN);
    assertThat(claim(route, Layer.L1, 10, OTHER)).isEmpty();
    clock.advance(LEASE);
    List<Entry> again = claim(route, Layer.L1, 10, OTHER);
    assertThat(again).extracting(Entry::id).containsExactly(n.id());
    assertThat(again.get(0).attempts()).isEqualTo(2);
  }

  @Test
  @DisplayName("lets a pre-claimed entry be committed with token 1 by its owner")
  void preClaimedCommit() {
    NewEntry n = root().withLease(new Lease(OWNER, now().plus(LEASE)));
    intake(n);
    Completion c = new Completion(n.id(), OWNER, 1, Status.PROCESSED, null, null, null, List.of());
    assertThat(commit(c).applied()).containsExactly(n.id());
  }
}
