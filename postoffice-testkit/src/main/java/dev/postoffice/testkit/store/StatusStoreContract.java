package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.RouteId;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StatusStore} passes: one test, at least, per sentence of the {@code
 * StatusStore} Javadoc. An implementation's test extends it and gives only a factory:
 *
 * <pre>{@code
 * class H2StatusStoreContractTest extends StatusStoreContract {
 *   @Override
 *   protected StatusStore createStore() {
 *     return JdbcStatusStore.builder(freshH2Jdbi()).build();
 *   }
 * }
 * }</pre>
 *
 * <p>The tests come in groups, one class each in {@code dev.postoffice.testkit.store}, which this
 * suite runs as {@code @Nested} classes; they take the store, clock and routes this suite makes
 * before each test through a {@link StoreFixture}.
 *
 * <p>Each test uses routes of its own (random names) and the fixed instants of a {@link
 * MutableClock}, so a database shared between tests does not leak state from one test into another,
 * and no test sleeps. What a store declares it cannot do ({@link
 * dev.postoffice.spi.StoreCapabilities}) is skipped with a message.
 */
public abstract class StatusStoreContract {
  /** The start time of every test's clock. */
  protected static final Instant T0 = StoreContractGroup.T0;

  /** The lease duration the tests claim with. */
  protected static final Duration LEASE = StoreContractGroup.LEASE;

  /** The store under test, fresh for each test. */
  protected StatusStore store;

  /** The test's clock; the tests pass its time as {@code now}. */
  protected MutableClock clock;

  /** A route no other test uses. */
  protected RouteId route;

  /** A second route no other test uses. */
  protected RouteId otherRoute;

  private final StoreFixture fixture = new Fixture();

  /**
   * Returns a new store to test, holding no entry of the routes the test will use. Called once per
   * test.
   *
   * @return the store
   */
  protected abstract StatusStore createStore();

  /**
   * Closes a store after a test. Override to drop tables as well.
   *
   * @param s the store
   */
  protected void closeStore(StatusStore s) {
    s.close();
  }

  /**
   * Returns a second store instance over the same data, as another node (process) would open it,
   * for the multi-node tests of stores that declare {@code sharedAcrossNodes}. The default has
   * none; the suite then skips those tests with a message. The suite closes what this returns.
   *
   * @param first the store under test
   * @return another instance sharing its data, or empty
   */
  protected Optional<StatusStore> openSecondNode(StatusStore first) {
    return Optional.empty();
  }

  /**
   * Returns a store instance over the same data that judges leases and due times on a clock of its
   * own (the database's) rather than on the {@code now} its callers pass, for the tests of nodes
   * whose clocks differ. The default has none (a store used by one process may take its callers'
   * {@code now} as its clock); the suite then skips those tests with a message. The suite closes
   * what this returns.
   *
   * @param first the store under test
   * @return a store on its own clock sharing the data of {@code first}, or empty
   */
  protected Optional<StatusStore> openStoreOnItsOwnClock(StatusStore first) {
    return Optional.empty();
  }

  @BeforeEach
  void createTheStore() {
    clock = MutableClock.at(T0);
    String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    route = RouteId.of("contract-" + suffix);
    otherRoute = RouteId.of("contract-" + suffix + "-other");
    store = createStore();
  }

  @AfterEach
  void closeTheStore() {
    if (store != null) {
      closeStore(store);
    }
  }

  /**
   * Hands the groups what this suite made for the current test, and its ways of opening more
   * stores.
   */
  private final class Fixture implements StoreFixture {
    @Override
    public StatusStore store() {
      return store;
    }

    @Override
    public MutableClock clock() {
      return clock;
    }

    @Override
    public RouteId route() {
      return route;
    }

    @Override
    public RouteId otherRoute() {
      return otherRoute;
    }

    @Override
    public Optional<StatusStore> openSecondNode(StatusStore first) {
      return StatusStoreContract.this.openSecondNode(first);
    }

    @Override
    public Optional<StatusStore> openStoreOnItsOwnClock(StatusStore first) {
      return StatusStoreContract.this.openStoreOnItsOwnClock(first);
    }
  }

  // ---- tests: one here, the rest in groups of dev.postoffice.testkit.store
  // --------------------------------

  @Test
  @DisplayName("a store states its capabilities")
  void statesCapabilities() {
    assertThat(store.capabilities()).isNotNull();
  }

  @Nested
  @DisplayName("intake")
  class Intake extends IntakeContract {
    Intake() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("polling cursors")
  class Cursors extends CursorsContract {
    Cursors() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("claiming")
  class Claiming extends ClaimingContract {
    Claiming() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("concurrent claimers")
  class ConcurrentClaimers extends ConcurrentClaimersContract {
    ConcurrentClaimers() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("commit")
  class Commit extends CommitContract {
    Commit() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("transition")
  class Transition extends TransitionContract {
    Transition() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("outputs stored finished")
  class FinishedOutputs extends FinishedOutputsContract {
    FinishedOutputs() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("transitionAll")
  class TransitionAll extends TransitionAllContract {
    TransitionAll() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("the Core App's late answers")
  class LateAnswers extends LateAnswersContract {
    LateAnswers() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("replay")
  class Replay extends ReplayContract {
    Replay() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("release")
  class Release extends ReleaseContract {
    Release() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("queries")
  class Queries extends QueriesContract {
    Queries() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("counts")
  class Counts extends CountsContract {
    Counts() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("text no database takes as is (NUL, unpaired surrogates, megabytes)")
  class UnstorableText extends UnstorableTextContract {
    UnstorableText() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("lease renewal")
  class Renewal extends RenewalContract {
    Renewal() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("nodes whose clocks differ (a store on a clock of its own)")
  class ClockSkew extends ClockSkewContract {
    ClockSkew() {
      super(fixture);
    }
  }

  @Nested
  @DisplayName("operator methods (search, dedup-key lookup, route pauses, replay jobs)")
  class Operator extends OperatorContract {
    Operator() {
      super(fixture);
    }
  }
}
