package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "counts".
 * Counting entries per status, and the backlog of a route.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class CountsContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected CountsContract(StoreFixture fixture) {
    super(fixture);
  }

  private List<StatusCount> countsOf(RouteId r) {
    return store.countByStatus().stream().filter(c -> c.route().equals(r)).toList();
  }

  @Test
  @DisplayName("countByStatus counts per route, layer and status, leaving out empty combinations")
  void countByStatus() {
    intakeOne();
    tick();
    intakeOne();
    tick();
    intakeOne(root(route, Layer.L2));
    commit(done(claim(1).get(0), Status.PROCESSED));

    assertThat(countsOf(route))
        .containsExactlyInAnyOrder(
            new StatusCount(route, Layer.L1, Status.JUST_IN, 1),
            new StatusCount(route, Layer.L1, Status.PROCESSED, 1),
            new StatusCount(route, Layer.L2, Status.JUST_IN, 1));
    assertThat(countsOf(otherRoute)).isEmpty();
  }

  @Test
  @DisplayName(
      "backlog counts JUST_IN and RETRYING entries of a route in any layer, and nothing else")
  void backlog() {
    intakeOne();
    tick();
    intakeOne(root(route, Layer.L3));
    tick();
    Entry r = intakeOne();
    intakeOne(root(otherRoute, Layer.L1));
    assertThat(store.backlog(route)).isEqualTo(3);

    List<Entry> claimed = claim(2);
    commit(retry(claimed.get(0), now().plusSeconds(5), "x"), done(claimed.get(1), Status.QUEUED));
    assertThat(store.backlog(route)).isEqualTo(2);
    intake(withDedup(root(), "d"), withDedup(root(), "d"));
    assertThat(store.backlog(route)).isEqualTo(3);
    assertThat(r).isNotNull();
    assertThat(store.backlog(RouteId.of(route.value() + "-none"))).isZero();
  }
}
