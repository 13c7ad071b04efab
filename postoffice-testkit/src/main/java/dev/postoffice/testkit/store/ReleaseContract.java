package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "release".
 * Releasing an owner's leases, as a node does when it stops.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class ReleaseContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected ReleaseContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName(
      "releases an owner's leases: claimable at once, the attempt still counted, no history row")
  void releases() {
    intakeOne();
    tick();
    intakeOne();
    tick();
    Entry theirs = intakeOne();
    List<Entry> mine = claim(2);
    claim(route, Layer.L1, 1, OTHER);

    assertThat(store.release(OWNER, now())).isEqualTo(2);
    for (Entry e : mine) {
      Entry after = get(e.id());
      assertThat(after.lease()).isNull();
      assertThat(after.attempts())
          .as("attempts never decrease: they are the fencing token")
          .isEqualTo(1);
      assertThat(history(e.id())).hasSize(1);
    }
    assertThat(get(theirs.id()).lease().owner()).isEqualTo(OTHER);
    assertThat(claim(route, Layer.L1, 10, OTHER))
        .extracting(Entry::id)
        .containsExactlyElementsOf(idList(mine));
  }

  @Test
  @DisplayName("releases nothing for an owner without leases")
  void nothing() {
    intakeOne();
    assertThat(store.release(OWNER, now())).isZero();
  }

  @Test
  @DisplayName("keeps a retry's schedule when releasing it")
  void retrying() {
    intakeOne();
    commit(retry(claim(1).get(0), now().plusSeconds(5), "x"));
    clock.advance(Duration.ofSeconds(5));
    Entry again = claim(1).get(0);
    store.release(OWNER, now());
    Entry after = get(again.id());
    assertThat(after.status()).isEqualTo(Status.RETRYING);
    assertThat(after.attempts()).isEqualTo(2);
    assertThat(claim(1)).hasSize(1);
  }

  @Test
  @DisplayName(
      "never hands out a fencing token twice: the claim after a release gets a new one, the old is refused")
  void tokenNotReused() {
    Entry first = intakeOne();
    Entry before = claim(1).get(0);
    store.release(OWNER, now());
    Entry again = claim(1).get(0);

    assertThat(again.id()).isEqualTo(first.id());
    assertThat(again.attempts()).isGreaterThan(before.attempts());
    assertThat(commit(done(before, Status.PROCESSED)).refused()).containsExactly(first.id());
    assertThat(get(first.id()).status()).isEqualTo(Status.JUST_IN);
    assertThat(commit(done(again, Status.PROCESSED)).applied()).containsExactly(first.id());
  }
}
