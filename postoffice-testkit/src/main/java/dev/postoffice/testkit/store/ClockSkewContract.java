package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Status;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.HeldLease;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "nodes whose
 * clocks differ (a store on a clock of its own)". Leases and due times judged on the store's clock
 * when the nodes' clocks differ.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class ClockSkewContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected ClockSkewContract(StoreFixture fixture) {
    super(fixture);
  }

  /** A lease short enough to wait for. */
  private static final Duration SHORT = Duration.ofMillis(300);

  private StatusStore own;

  @BeforeEach
  void open() {
    own = openStoreOnItsOwnClock(store).orElse(null);
    Assumptions.assumeTrue(
        own != null,
        store
            + " judges leases and due times on the time its callers pass"
            + " (one process, one clock): no test of nodes whose clocks differ");
  }

  @AfterEach
  void closeOwn() {
    if (own != null) {
      own.close();
    }
  }

  private List<Entry> claimAt(String owner, Duration lease, Instant at) {
    return own.claim(new ClaimRequest(route, Layer.L1, 10, owner, lease, at));
  }

  /**
   * Claims as {@code owner} until something comes or {@code within} passed (real time: the store's
   * clock).
   */
  private List<Entry> claimWithin(Duration within, String owner, Instant at) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      List<Entry> got = claimAt(owner, LEASE, at);
      if (!got.isEmpty() || System.nanoTime() > deadline) {
        return got;
      }
      LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
    }
  }

  @Test
  @DisplayName("a node whose clock is ahead by more than a lease does not take over a live lease")
  void aheadDoesNotTakeOver() {
    NewEntry n = root();
    own.intake(List.of(n), now());
    List<Entry> mine = claimAt(OWNER, LEASE, now());
    assertThat(mine).hasSize(1);

    Instant ahead = now().plus(LEASE.multipliedBy(3).dividedBy(2));
    assertThat(claimAt(OTHER, LEASE, ahead)).as("claimed by a node whose clock is ahead").isEmpty();
    assertThat(own.commit(List.of(done(mine.get(0), Status.PROCESSED)), now()).applied())
        .containsExactly(n.id());
  }

  @Test
  @DisplayName(
      "a node whose clock is behind gets a lease that expires on the store's clock, not earlier")
  void behindDoesNotShortenItsLease() {
    NewEntry n = root();
    own.intake(List.of(n), now());
    Instant behind = now().minus(Duration.ofDays(1));
    assertThat(claimAt(OWNER, LEASE, behind)).hasSize(1);
    assertThat(claimAt(OTHER, LEASE, now())).isEmpty();
  }

  @Test
  @DisplayName(
      "a lease lasts its duration on the store's clock, however far ahead the claimer's clock is")
  void leaseLastsItsDuration() {
    NewEntry n = root();
    own.intake(List.of(n), now());
    assertThat(claimAt(OWNER, SHORT, now().plus(Duration.ofDays(1)))).hasSize(1);
    assertThat(claimWithin(Duration.ofSeconds(10), OTHER, now()))
        .extracting(Entry::id)
        .containsExactly(n.id());
  }

  @Test
  @DisplayName(
      "a retry is due after its delay on the store's clock, whatever the nodes' clocks say")
  void retryDueOnStoreClock() {
    NewEntry n = root();
    own.intake(List.of(n), now());
    Entry mine = claimAt(OWNER, LEASE, now()).get(0);
    own.commit(List.of(retry(mine, now().plus(Duration.ofHours(1)), "later")), now());
    assertThat(claimAt(OTHER, LEASE, now().plus(Duration.ofHours(2))))
        .as("due in an hour")
        .isEmpty();

    NewEntry soon = root();
    own.intake(List.of(soon), now());
    Instant ahead = now().plus(Duration.ofDays(1));
    Entry claimed = claimAt(OWNER, LEASE, ahead).get(0);
    own.commit(List.of(retry(claimed, ahead.plus(SHORT), "soon")), ahead);
    assertThat(claimWithin(Duration.ofSeconds(10), OTHER, now()))
        .extracting(Entry::id)
        .containsExactly(soon.id());
  }

  @Test
  @DisplayName("an output stored already leased keeps its lease on the store's clock")
  void preClaimedOutput() {
    NewEntry n = root();
    own.intake(List.of(n), now());
    Instant behind = now().minus(Duration.ofDays(1));
    Entry mine = claimAt(OWNER, LEASE, behind).get(0);
    NewEntry out = output(mine, 0).withLease(new Lease(OWNER, behind.plus(LEASE)));
    own.commit(List.of(done(mine, Status.PROCESSED, out)), behind);
    assertThat(own.claim(new ClaimRequest(route, Layer.L2, 10, OTHER, LEASE, now()))).isEmpty();
  }

  @Test
  @DisplayName("a renewal extends a lease on the store's clock")
  void renewalOnStoreClock() {
    NewEntry n = root();
    own.intake(List.of(n), now());
    Instant behind = now().minus(Duration.ofDays(1));
    Entry mine = claimAt(OWNER, SHORT, behind).get(0);
    assertThat(own.renew(OWNER, List.of(HeldLease.of(mine)), LEASE, behind))
        .containsExactly(n.id());
    // Past the short lease, on the store's clock: the renewed one still holds.
    assertThat(claimWithin(SHORT.multipliedBy(3), OTHER, now())).isEmpty();
  }
}
