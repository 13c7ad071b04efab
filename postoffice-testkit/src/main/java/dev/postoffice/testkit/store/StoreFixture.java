package dev.postoffice.testkit.store;

import dev.postoffice.model.RouteId;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.MutableClock;
import java.util.Optional;

/**
 * What the groups of {@link dev.postoffice.testkit.store.StatusStoreContract} test: the store a
 * suite made for the current test, its clock and its routes, and the suite's ways of opening more
 * instances over the same data. A group reads it before each test, after the suite's own
 * {@code @BeforeEach} made them.
 */
public interface StoreFixture {
  /**
   * Returns the store under test.
   *
   * @return the store made for the current test
   */
  StatusStore store();

  /**
   * Returns the clock whose time the tests pass as {@code now}.
   *
   * @return the current test's clock
   */
  MutableClock clock();

  /**
   * Returns a route no other test uses.
   *
   * @return the current test's route
   */
  RouteId route();

  /**
   * Returns a second route no other test uses.
   *
   * @return the current test's other route
   */
  RouteId otherRoute();

  /**
   * Returns a second store instance over the same data, as another node would open it, or empty if
   * the suite has none. The caller closes it.
   *
   * @param first the store under test
   * @return another instance sharing its data, or empty
   */
  Optional<StatusStore> openSecondNode(StatusStore first);

  /**
   * Returns a store instance over the same data that judges leases and due times on a clock of its
   * own, or empty if the suite has none. The caller closes it.
   *
   * @param first the store under test
   * @return a store on its own clock sharing the data of {@code first}, or empty
   */
  Optional<StatusStore> openStoreOnItsOwnClock(StatusStore first);
}
