package dev.postoffice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.HeldLease;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StaleCursorException;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.StorableText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The contract every {@link StatusStore} passes: one test, at least, per sentence of the {@code StatusStore}
 * Javadoc. An implementation's test extends it and gives only a factory:
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
 * <p>Each test uses routes of its own (random names) and the fixed instants of a {@link MutableClock}, so a
 * database shared between tests does not leak state from one test into another, and no test sleeps. What a
 * store declares it cannot do ({@link dev.postoffice.spi.StoreCapabilities}) is skipped with a message.
 */
public abstract class StatusStoreContract {
  /** The start time of every test's clock. */
  protected static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  /** The lease duration the tests claim with. */
  protected static final Duration LEASE = Duration.ofSeconds(30);

  private static final String OWNER = "node-a";
  private static final String OTHER = "node-b";
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  /** The store under test, fresh for each test. */
  protected StatusStore store;

  /** The test's clock; the tests pass its time as {@code now}. */
  protected MutableClock clock;

  /** A route no other test uses. */
  protected RouteId route;

  /** A second route no other test uses. */
  protected RouteId otherRoute;

  private final AtomicInteger counter = new AtomicInteger();

  /**
   * Returns a new store to test, holding no entry of the routes the test will use. Called once per test.
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
   * Returns a second store instance over the same data, as another node (process) would open it, for the
   * multi-node tests of stores that declare {@code sharedAcrossNodes}. The default has none; the suite then
   * skips those tests with a message. The suite closes what this returns.
   *
   * @param first the store under test
   * @return another instance sharing its data, or empty
   */
  protected Optional<StatusStore> openSecondNode(StatusStore first) {
    return Optional.empty();
  }

  /**
   * Returns a store instance over the same data that judges leases and due times on a clock of its own (the
   * database's) rather than on the {@code now} its callers pass, for the tests of nodes whose clocks differ.
   * The default has none (a store used by one process may take its callers' {@code now} as its clock); the
   * suite then skips those tests with a message. The suite closes what this returns.
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

  // ---- fixtures -------------------------------------------------------------------------------------------

  private Instant now() {
    return clock.instant();
  }

  private void tick() {
    clock.advance(Duration.ofSeconds(1));
  }

  private NewEntry root(RouteId r, Layer layer) {
    int n = counter.incrementAndGet();
    return new NewEntry(EntryId.random(), r, Direction.UPSTREAM, layer, Payload.json("{\"n\":" + n + "}"),
        Map.of("partner", "acme", "n", Integer.toString(n)), null, TraceId.random(), null, "ingestor@1", null);
  }

  private NewEntry root() {
    return root(route, Layer.L1);
  }

  private static NewEntry withDedup(NewEntry n, String key) {
    return new NewEntry(n.id(), n.route(), n.direction(), n.layer(), n.payload(), n.headers(), n.sourceId(),
        n.traceId(), key, n.producedBy(), n.lease());
  }

  private static NewEntry output(Entry source, int index) {
    return new NewEntry(EntryId.derive(source.id(), source.generation(), index), source.route(),
        source.direction(), source.layer().next(source.direction()), Payload.json("{\"out\":" + index + "}"),
        Map.of("index", Integer.toString(index)), source.id(), source.traceId(), null, "stage@2", null);
  }

  private List<IntakeResult> intake(NewEntry... entries) {
    return store.intake(List.of(entries), now());
  }

  private Entry intakeOne(NewEntry n) {
    intake(n);
    return get(n.id());
  }

  private Entry intakeOne() {
    return intakeOne(root());
  }

  private Entry get(EntryId id) {
    return store.find(id).orElseThrow(() -> new AssertionError("entry " + id + " not found"));
  }

  private List<Entry> claim(RouteId r, Layer layer, int limit, String owner) {
    return store.claim(new ClaimRequest(r, layer, limit, owner, LEASE, now()));
  }

  private List<Entry> claim(int limit) {
    return claim(route, Layer.L1, limit, OWNER);
  }

  private Entry claimOnly(String owner) {
    List<Entry> claimed = claim(route, Layer.L1, 10, owner);
    assertThat(claimed).as("claimed entries").hasSize(1);
    return claimed.get(0);
  }

  private static Completion done(Entry claimed, Status to, NewEntry... outputs) {
    return new Completion(claimed.id(), claimed.lease().owner(), claimed.attempts(), to, "to " + to.name(),
        null, null, List.of(outputs));
  }

  private static Completion retry(Entry claimed, Instant next, String error) {
    return new Completion(claimed.id(), claimed.lease().owner(), claimed.attempts(), Status.RETRYING,
        "retry", error, next, List.of());
  }

  private CommitResult commit(Completion... completions) {
    return store.commit(List.of(completions), now());
  }

  private static Set<EntryId> ids(List<Entry> entries) {
    Set<EntryId> ids = new HashSet<>();
    entries.forEach(e -> ids.add(e.id()));
    return ids;
  }

  private static List<EntryId> idList(List<Entry> entries) {
    return entries.stream().map(Entry::id).toList();
  }

  /** Makes an entry, on a route of its own, that has reached a status through allowed moves. */
  private Entry entryIn(Status status) {
    RouteId own = RouteId.of(route.value() + "-s" + counter.incrementAndGet());
    if (status == Status.DUPLICATE) {
      String key = "dup-" + UUID.randomUUID();
      intake(withDedup(root(own, Layer.L1), key));
      NewEntry second = withDedup(root(own, Layer.L1), key);
      intake(second);
      return get(second.id());
    }
    Entry e = intakeOne(root(own, Layer.L1));
    if (status == Status.JUST_IN) {
      return e;
    }
    Entry claimed = claim(own, Layer.L1, 1, OWNER).get(0);
    Completion c = status == Status.RETRYING
        ? retry(claimed, now().plus(Duration.ofHours(1)), "boom")
        : done(claimed, status);
    assertThat(commit(c).applied()).containsExactly(e.id());
    return get(e.id());
  }

  private List<HistoryRecord> history(EntryId id) {
    return store.history(id);
  }

  // ---- tests ----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("a store states its capabilities")
  void statesCapabilities() {
    assertThat(store.capabilities()).isNotNull();
  }

  @Nested
  @DisplayName("intake")
  class Intake {
    @Test
    @DisplayName("stores a new entry as JUST_IN with no attempts, no lease and everything it was given")
    void storesJustIn() {
      NewEntry n = root();
      List<IntakeResult> results = intake(n);

      assertThat(results).containsExactly(new IntakeResult(n.id(), null));
      Entry e = get(n.id());
      assertThat(e.status()).isEqualTo(Status.JUST_IN);
      assertThat(e.attempts()).isZero();
      assertThat(e.lease()).isNull();
      assertThat(e.generation()).isZero();
      assertThat(e.route()).isEqualTo(route);
      assertThat(e.direction()).isEqualTo(Direction.UPSTREAM);
      assertThat(e.layer()).isEqualTo(Layer.L1);
      assertThat(e.payload()).isEqualTo(n.payload());
      assertThat(e.headers()).isEqualTo(n.headers());
      assertThat(e.traceId()).isEqualTo(n.traceId());
      assertThat(e.sourceId()).isNull();
      assertThat(e.producedBy()).isEqualTo("ingestor@1");
      assertThat(e.createdAt()).isEqualTo(T0);
      assertThat(e.updatedAt()).isEqualTo(T0);
    }

    @Test
    @DisplayName("appends a history row from no status to JUST_IN")
    void historyFromNull() {
      Entry e = intakeOne();
      assertThat(history(e.id())).containsExactly(new HistoryRecord(e.id(), null, Status.JUST_IN, T0, null));
    }

    @Test
    @DisplayName("stores an entry whose dedup key the route has seen as DUPLICATE, naming the original")
    void duplicate() {
      NewEntry first = withDedup(root(), "order-1");
      NewEntry second = withDedup(root(), "order-1");
      intake(first);
      tick();
      List<IntakeResult> results = intake(second);

      assertThat(results).containsExactly(new IntakeResult(second.id(), first.id()));
      assertThat(results.get(0).isDuplicate()).isTrue();
      assertThat(get(second.id()).status()).isEqualTo(Status.DUPLICATE);
      assertThat(get(first.id()).status()).isEqualTo(Status.JUST_IN);
      List<HistoryRecord> h = history(second.id());
      assertThat(h).hasSize(1);
      assertThat(h.get(0).from()).isNull();
      assertThat(h.get(0).to()).isEqualTo(Status.DUPLICATE);
      assertThat(h.get(0).detail()).contains(first.id().value());
    }

    @Test
    @DisplayName("treats the same dedup key twice in one call as new, then duplicate")
    void duplicateInOneCall() {
      NewEntry first = withDedup(root(), "k");
      NewEntry second = withDedup(root(), "k");
      List<IntakeResult> results = intake(first, second);

      assertThat(results).containsExactly(new IntakeResult(first.id(), null),
          new IntakeResult(second.id(), first.id()));
      assertThat(get(second.id()).status()).isEqualTo(Status.DUPLICATE);
    }

    @Test
    @DisplayName("scopes dedup keys to their route")
    void dedupPerRoute() {
      intake(withDedup(root(route, Layer.L1), "same"));
      NewEntry other = withDedup(root(otherRoute, Layer.L1), "same");
      assertThat(intake(other)).containsExactly(new IntakeResult(other.id(), null));
      assertThat(get(other.id()).status()).isEqualTo(Status.JUST_IN);
    }

    @Test
    @DisplayName("never treats entries without a dedup key as duplicates")
    void nullKeysNeverCollide() {
      List<IntakeResult> results = intake(root(), root(), root());
      assertThat(results).noneMatch(IntakeResult::isDuplicate);
    }

    @Test
    @DisplayName("does not claim a DUPLICATE entry")
    void duplicateNotClaimable() {
      intake(withDedup(root(), "k"));
      claim(10);
      intake(withDedup(root(), "k"));
      clock.advance(LEASE.multipliedBy(2));
      assertThat(claim(10)).extracting(Entry::status).containsOnly(Status.JUST_IN);
    }

    @Test
    @DisplayName("returns the existing entry's result for an id stored before, and changes nothing")
    void sameIdIsIdempotent() {
      NewEntry n = root();
      intake(n);
      Entry before = get(n.id());
      tick();
      NewEntry again = new NewEntry(n.id(), route, Direction.UPSTREAM, Layer.L1, Payload.json("{\"other\":1}"),
          Map.of(), null, TraceId.random(), null, null, null);

      assertThat(intake(again)).containsExactly(new IntakeResult(n.id(), null));
      assertThat(get(n.id())).isEqualTo(before);
      assertThat(history(n.id())).hasSize(1);
    }

    @Test
    @DisplayName("returns the original for a duplicate's id stored again")
    void sameIdOfDuplicate() {
      NewEntry first = withDedup(root(), "k");
      NewEntry second = withDedup(root(), "k");
      intake(first, second);
      assertThat(intake(second)).containsExactly(new IntakeResult(second.id(), first.id()));
      assertThat(history(second.id())).hasSize(1);
    }

    @Test
    @DisplayName("stores an id given twice in one call once")
    void sameIdTwiceInOneCall() {
      NewEntry n = root();
      List<IntakeResult> results = intake(n, n);
      assertThat(results).containsExactly(new IntakeResult(n.id(), null), new IntakeResult(n.id(), null));
      assertThat(history(n.id())).hasSize(1);
      assertThat(claim(10)).extracting(Entry::id).containsExactly(n.id());
    }

    @Test
    @DisplayName("returns one result per entry, in order")
    void resultsInOrder() {
      List<NewEntry> entries = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        entries.add(root());
      }
      List<IntakeResult> results = store.intake(entries, now());
      assertThat(results).extracting(IntakeResult::entryId)
          .containsExactlyElementsOf(entries.stream().map(NewEntry::id).toList());
    }

    @Test
    @DisplayName("stores all entries of a call or none")
    void allOrNothing() {
      NewEntry good = root();
      List<NewEntry> entries = Arrays.asList(good, null);
      assertThat(catchThrowable(() -> store.intake(entries, now()))).isNotNull();
      assertThat(store.find(good.id())).isEmpty();
      assertThat(store.backlog(route)).isZero();
    }
  }

  @Nested
  @DisplayName("polling cursors")
  class Cursors {
    @Test
    @DisplayName("are empty until set")
    void emptyUntilSet() {
      assertThat(store.cursor(route, "default")).isEmpty();
    }

    @Test
    @DisplayName("are set together with the page's entries when none was expected")
    void firstPage() {
      NewEntry n = root();
      List<IntakeResult> results =
          store.intake(List.of(n), new CursorUpdate(route, "default", null, "page-2"), now());
      assertThat(results).containsExactly(new IntakeResult(n.id(), null));
      assertThat(store.cursor(route, "default")).contains("page-2");
      assertThat(get(n.id()).status()).isEqualTo(Status.JUST_IN);
    }

    @Test
    @DisplayName("move when they still have the expected value")
    void compareAndSet() {
      store.intake(List.of(), new CursorUpdate(route, "default", null, "1"), now());
      store.intake(List.of(root()), new CursorUpdate(route, "default", "1", "2"), now());
      assertThat(store.cursor(route, "default")).contains("2");
    }

    @Test
    @DisplayName("refuse a stale move with StaleCursorException and store nothing of the page")
    void stale() {
      store.intake(List.of(), new CursorUpdate(route, "default", null, "1"), now());
      store.intake(List.of(), new CursorUpdate(route, "default", "1", "2"), now());
      NewEntry n = root();

      assertThatThrownBy(() -> store.intake(List.of(n), new CursorUpdate(route, "default", "1", "3"), now()))
          .isInstanceOfSatisfying(StaleCursorException.class, e -> {
            assertThat(e.route()).isEqualTo(route);
            assertThat(e.cursorName()).isEqualTo("default");
          });
      assertThat(store.find(n.id())).isEmpty();
      assertThat(store.cursor(route, "default")).contains("2");
    }

    @Test
    @DisplayName("refuse a move that expects no cursor when one exists")
    void staleWhenExpectingNone() {
      store.intake(List.of(), new CursorUpdate(route, "default", null, "1"), now());
      assertThatThrownBy(() -> store.intake(List.of(), new CursorUpdate(route, "default", null, "9"), now()))
          .isInstanceOf(StaleCursorException.class);
      assertThat(store.cursor(route, "default")).contains("1");
    }

    @Test
    @DisplayName("move on an empty page")
    void emptyPage() {
      assertThat(store.intake(List.of(), new CursorUpdate(route, "default", null, "a"), now())).isEmpty();
      assertThat(store.cursor(route, "default")).contains("a");
    }

    @Test
    @DisplayName("are separate per route and name")
    void isolated() {
      store.intake(List.of(), new CursorUpdate(route, "a", null, "1"), now());
      store.intake(List.of(), new CursorUpdate(route, "b", null, "2"), now());
      store.intake(List.of(), new CursorUpdate(otherRoute, "a", null, "3"), now());
      assertThat(store.cursor(route, "a")).contains("1");
      assertThat(store.cursor(route, "b")).contains("2");
      assertThat(store.cursor(otherRoute, "a")).contains("3");
    }

    @Test
    @DisplayName("deduplicate the page's entries like a plain intake")
    void dedupWithCursor() {
      NewEntry first = withDedup(root(), "k");
      intake(first);
      NewEntry second = withDedup(root(), "k");
      List<IntakeResult> results =
          store.intake(List.of(second), new CursorUpdate(route, "default", null, "x"), now());
      assertThat(results).containsExactly(new IntakeResult(second.id(), first.id()));
    }
  }

  @Nested
  @DisplayName("claiming")
  class Claiming {
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
    @EnumSource(value = Status.class, names = {"JUST_IN", "RETRYING"}, mode = EnumSource.Mode.EXCLUDE)
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

  @Nested
  @DisplayName("concurrent claimers")
  class ConcurrentClaimers {
    private static final int ENTRIES = 500;
    private static final int THREADS = 4;

    private Set<EntryId> fill() {
      List<NewEntry> entries = new ArrayList<>();
      for (int i = 0; i < ENTRIES; i++) {
        entries.add(root());
      }
      store.intake(entries, now());
      Set<EntryId> all = new HashSet<>();
      entries.forEach(n -> all.add(n.id()));
      return all;
    }

    private List<EntryId> race(boolean commitEach) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        CountDownLatch start = new CountDownLatch(1);
        Instant at = now();
        List<Future<List<EntryId>>> futures = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          String owner = "node-" + t;
          futures.add(pool.submit(() -> {
            start.await();
            List<EntryId> mine = new ArrayList<>();
            while (true) {
              List<Entry> got = store.claim(new ClaimRequest(route, Layer.L1, 7, owner, LEASE, at));
              if (got.isEmpty()) {
                return mine;
              }
              got.forEach(e -> mine.add(e.id()));
              if (commitEach) {
                List<Completion> cs = got.stream().map(e -> done(e, Status.PROCESSED)).toList();
                assertThat(store.commit(cs, at).refused()).isEmpty();
              }
            }
          }));
        }
        start.countDown();
        List<EntryId> all = new ArrayList<>();
        for (Future<List<EntryId>> f : futures) {
          all.addAll(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
        return all;
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName("never receive the same entry, and together receive all of them")
    void neverTheSame() throws Exception {
      Set<EntryId> all = fill();
      List<EntryId> claimed = race(false);
      assertThat(claimed).doesNotHaveDuplicates();
      assertThat(new HashSet<>(claimed)).isEqualTo(all);
    }

    @Test
    @DisplayName("claiming and committing at once finish every entry exactly once")
    void claimAndCommit() throws Exception {
      Set<EntryId> all = fill();
      List<EntryId> claimed = race(true);
      assertThat(claimed).doesNotHaveDuplicates().hasSize(ENTRIES);
      assertThat(store.query(EntryQuery.of(route, ENTRIES + 1, Status.PROCESSED))).hasSize(ENTRIES);
      EntryId any = all.iterator().next();
      assertThat(history(any)).extracting(HistoryRecord::to).containsExactly(Status.JUST_IN, Status.PROCESSED);
    }

    @Test
    @DisplayName("on several nodes sharing the store, never receive the same entry")
    void acrossNodes() {
      Assumptions.assumeTrue(store.capabilities().sharedAcrossNodes(),
          store.getClass().getSimpleName() + " is not shared across nodes");
      Optional<StatusStore> second = openSecondNode(store);
      Assumptions.assumeTrue(second.isPresent(),
          "override openSecondNode(StatusStore) to test sharing across nodes");
      try (StatusStore node2 = second.get()) {
        Entry e = intakeOne();
        assertThat(node2.find(e.id())).isPresent();
        assertThat(claim(10)).hasSize(1);
        assertThat(node2.claim(new ClaimRequest(route, Layer.L1, 10, OTHER, LEASE, now()))).isEmpty();
        clock.advance(LEASE);
        assertThat(node2.claim(new ClaimRequest(route, Layer.L1, 10, OTHER, LEASE, now()))).hasSize(1);
      }
    }
  }

  @Nested
  @DisplayName("commit")
  class Commit {
    @Test
    @DisplayName("moves the entry, clears its lease, records the error and appends a history row with the detail")
    void appliesStatus() {
      Entry e = intakeOne();
      Entry claimed = claim(1).get(0);
      tick();
      Completion c = new Completion(e.id(), OWNER, claimed.attempts(), Status.REJECTED, "bad json",
          "unexpected token", null, List.of());
      CommitResult result = commit(c);

      assertThat(result.applied()).containsExactly(e.id());
      assertThat(result.refused()).isEmpty();
      Entry after = get(e.id());
      assertThat(after.status()).isEqualTo(Status.REJECTED);
      assertThat(after.lease()).isNull();
      assertThat(after.lastError()).isEqualTo("unexpected token");
      assertThat(after.nextAttemptAt()).isNull();
      assertThat(after.attempts()).isEqualTo(1);
      assertThat(after.updatedAt()).isEqualTo(now());
      assertThat(history(e.id())).last()
          .isEqualTo(new HistoryRecord(e.id(), Status.JUST_IN, Status.REJECTED, now(), "bad json"));
    }

    @Test
    @DisplayName("inserts the outputs as JUST_IN entries linked to their source, in the same call")
    void insertsOutputs() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      tick();
      NewEntry out0 = output(claimed, 0);
      NewEntry out1 = output(claimed, 1);
      assertThat(commit(done(claimed, Status.PROCESSED, out0, out1)).applied()).containsExactly(claimed.id());

      for (NewEntry out : List.of(out0, out1)) {
        Entry o = get(out.id());
        assertThat(o.status()).isEqualTo(Status.JUST_IN);
        assertThat(o.sourceId()).isEqualTo(claimed.id());
        assertThat(o.traceId()).isEqualTo(claimed.traceId());
        assertThat(o.layer()).isEqualTo(Layer.L2);
        assertThat(o.attempts()).isZero();
        assertThat(o.lease()).isNull();
        assertThat(o.payload()).isEqualTo(out.payload());
        assertThat(o.headers()).isEqualTo(out.headers());
        assertThat(o.producedBy()).isEqualTo("stage@2");
        assertThat(o.createdAt()).isEqualTo(now());
        assertThat(history(out.id())).containsExactly(new HistoryRecord(out.id(), null, Status.JUST_IN, now(), null));
      }
      assertThat(get(claimed.id()).status()).isEqualTo(Status.PROCESSED);
      assertThat(claim(route, Layer.L2, 10, OWNER)).extracting(Entry::id).containsExactly(out0.id(), out1.id());
    }

    @Test
    @DisplayName("creates an output given with a lease already claimed by that lease's owner")
    void preClaimedOutput() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      Lease lease = new Lease(OWNER, now().plus(LEASE));
      NewEntry out = output(claimed, 0).withLease(lease);
      commit(done(claimed, Status.PROCESSED, out));

      Entry o = get(out.id());
      assertThat(o.attempts()).isEqualTo(1);
      assertThat(o.lease()).isEqualTo(lease);
      assertThat(claim(route, Layer.L2, 10, OTHER)).isEmpty();
    }

    @Test
    @DisplayName("refuses a completion whose token is stale after the lease expired and another node claimed")
    void staleToken() {
      Entry e = intakeOne();
      Entry mine = claim(1).get(0);
      clock.advance(LEASE);
      Entry theirs = claim(route, Layer.L1, 1, OTHER).get(0);
      tick();

      CommitResult late = commit(done(mine, Status.PROCESSED, output(mine, 0)));
      assertThat(late.applied()).isEmpty();
      assertThat(late.refused()).containsExactly(e.id());
      assertThat(get(e.id()).status()).isEqualTo(Status.JUST_IN);
      assertThat(get(e.id()).lease()).isEqualTo(theirs.lease());
      assertThat(store.find(output(mine, 0).id())).isEmpty();
      assertThat(history(e.id())).hasSize(1);

      assertThat(commit(done(theirs, Status.PROCESSED)).applied()).containsExactly(e.id());
    }

    @Test
    @DisplayName("refuses a completion from another owner than the lease's")
    void wrongOwner() {
      Entry e = intakeOne();
      Entry claimed = claim(1).get(0);
      Completion c = new Completion(e.id(), OTHER, claimed.attempts(), Status.PROCESSED, null, null, null,
          List.of(output(claimed, 0)));
      assertThat(commit(c).refused()).containsExactly(e.id());
      assertThat(get(e.id()).status()).isEqualTo(Status.JUST_IN);
      assertThat(store.find(output(claimed, 0).id())).isEmpty();
    }

    @Test
    @DisplayName("refuses a completion for an entry nobody claimed, or that does not exist")
    void unclaimedOrMissing() {
      Entry e = intakeOne();
      Completion unclaimed = new Completion(e.id(), OWNER, 0, Status.PROCESSED, null, null, null, List.of());
      Completion missing = new Completion(EntryId.random(), OWNER, 1, Status.PROCESSED, null, null, null, List.of());
      CommitResult result = commit(unclaimed, missing);
      assertThat(result.applied()).isEmpty();
      assertThat(result.refused()).containsExactly(unclaimed.entryId(), missing.entryId());
      assertThat(get(e.id()).status()).isEqualTo(Status.JUST_IN);
    }

    @Test
    @DisplayName("refuses a second completion of an entry already completed")
    void alreadyCompleted() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      commit(done(claimed, Status.PROCESSED));
      assertThat(commit(done(claimed, Status.FAILED)).refused()).containsExactly(claimed.id());
      assertThat(get(claimed.id()).status()).isEqualTo(Status.PROCESSED);
    }

    @Test
    @DisplayName("still applies a completion whose lease expired if nobody claimed the entry since")
    void expiredButNotReclaimed() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      clock.advance(LEASE.multipliedBy(3));
      assertThat(commit(done(claimed, Status.PROCESSED)).applied()).containsExactly(claimed.id());
    }

    @Test
    @DisplayName("applies some and refuses others in one call")
    void mixed() {
      intakeOne();
      tick();
      intakeOne();
      List<Entry> claimed = claim(2);
      Completion good = done(claimed.get(0), Status.PROCESSED);
      Completion bad = new Completion(claimed.get(1).id(), OTHER, claimed.get(1).attempts(), Status.PROCESSED,
          null, null, null, List.of());
      CommitResult result = commit(good, bad);
      assertThat(result.applied()).containsExactly(good.entryId());
      assertThat(result.refused()).containsExactly(bad.entryId());
    }

    @Test
    @DisplayName("leaves an output whose id exists as it is")
    void existingOutputSkipped() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      NewEntry out = output(claimed, 0);
      commit(done(claimed, Status.PROCESSED, out));
      Entry before = get(out.id());
      Entry replayed = store.replay(claimed.id(), "again", now());
      tick();
      Entry again = claim(1).get(0);
      NewEntry sameId = new NewEntry(out.id(), route, Direction.UPSTREAM, Layer.L2, Payload.json("{\"x\":2}"),
          Map.of(), again.id(), again.traceId(), null, "stage@3", null);

      assertThat(commit(done(again, Status.PROCESSED, sameId)).applied()).containsExactly(replayed.id());
      Entry after = get(out.id());
      assertThat(after.payload()).isEqualTo(before.payload());
      assertThat(after.producedBy()).isEqualTo("stage@2");
      assertThat(history(out.id())).hasSize(2);
    }

    @Test
    @DisplayName("throws IllegalStatusTransitionException for a move the lifecycle forbids, and writes nothing")
    void illegalMove() {
      intakeOne();
      tick();
      intakeOne();
      List<Entry> claimed = claim(2);
      Completion legal = done(claimed.get(0), Status.PROCESSED, output(claimed.get(0), 0));
      Completion illegal = done(claimed.get(1), Status.DUPLICATE);

      assertThatThrownBy(() -> commit(legal, illegal))
          .isInstanceOfSatisfying(IllegalStatusTransitionException.class, e -> {
            assertThat(e.entryId()).isEqualTo(claimed.get(1).id());
            assertThat(e.from()).isEqualTo(Status.JUST_IN);
            assertThat(e.to()).isEqualTo(Status.DUPLICATE);
          });
      for (Entry c : claimed) {
        assertThat(get(c.id()).status()).isEqualTo(Status.JUST_IN);
        assertThat(get(c.id()).lease()).isEqualTo(c.lease());
        assertThat(history(c.id())).hasSize(1);
      }
      assertThat(store.find(output(claimed.get(0), 0).id())).isEmpty();
    }

    @Test
    @DisplayName("refuses to move JUST_IN to JUST_IN")
    void sameStatusOnlyForRetrying() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      assertThatThrownBy(() -> commit(done(claimed, Status.JUST_IN)))
          .isInstanceOf(IllegalStatusTransitionException.class);
    }

    @Test
    @DisplayName("schedules a retry: RETRYING with the next attempt time and the error, lease cleared")
    void retrying() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      Instant next = now().plus(Duration.ofMinutes(1));
      commit(retry(claimed, next, "503 from partner"));

      Entry after = get(claimed.id());
      assertThat(after.status()).isEqualTo(Status.RETRYING);
      assertThat(after.nextAttemptAt()).isEqualTo(next);
      assertThat(after.lastError()).isEqualTo("503 from partner");
      assertThat(after.lease()).isNull();
      assertThat(after.attempts()).isEqualTo(1);
      assertThat(history(claimed.id())).last().extracting(HistoryRecord::from, HistoryRecord::to)
          .containsExactly(Status.JUST_IN, Status.RETRYING);
    }

    @Test
    @DisplayName("moves RETRYING to RETRYING again on another failure, and clears the error on success")
    void retryAgainThenSucceed() {
      intakeOne();
      commit(retry(claim(1).get(0), now().plusSeconds(5), "first"));
      clock.advance(Duration.ofSeconds(5));
      Entry second = claim(1).get(0);
      commit(retry(second, now().plusSeconds(10), "second"));
      assertThat(get(second.id()).lastError()).isEqualTo("second");
      assertThat(get(second.id()).nextAttemptAt()).isEqualTo(now().plusSeconds(10));
      clock.advance(Duration.ofSeconds(10));
      Entry third = claim(1).get(0);
      assertThat(third.attempts()).isEqualTo(3);
      commit(done(third, Status.PROCESSED));
      Entry after = get(third.id());
      assertThat(after.status()).isEqualTo(Status.PROCESSED);
      assertThat(after.lastError()).isNull();
      assertThat(after.nextAttemptAt()).isNull();
      assertThat(history(third.id())).extracting(HistoryRecord::to)
          .containsExactly(Status.JUST_IN, Status.RETRYING, Status.RETRYING, Status.PROCESSED);
    }
  }

  @Nested
  @DisplayName("transition")
  class Transition {
    @Test
    @DisplayName("moves an entry in one of the from statuses and appends a history row")
    void moves() {
      Entry e = entryIn(Status.QUEUED);
      tick();
      Optional<Entry> moved =
          store.transition(e.id(), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, "ack from core", now());

      assertThat(moved).isPresent();
      assertThat(moved.get().status()).isEqualTo(Status.ACKNOWLEDGED);
      assertThat(moved.get().updatedAt()).isEqualTo(now());
      assertThat(get(e.id())).isEqualTo(moved.get());
      assertThat(history(e.id())).last()
          .isEqualTo(new HistoryRecord(e.id(), Status.QUEUED, Status.ACKNOWLEDGED, now(), "ack from core"));
    }

    @Test
    @DisplayName("returns empty and changes nothing when the entry is in none of the from statuses")
    void notInFrom() {
      Entry e = entryIn(Status.ACKNOWLEDGED);
      tick();
      assertThat(store.transition(e.id(), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, null, now())).isEmpty();
      assertThat(get(e.id())).isEqualTo(e);
      assertThat(history(e.id())).hasSize(2);
    }

    @Test
    @DisplayName("throws NoSuchEntryException for an unknown entry")
    void unknown() {
      EntryId id = EntryId.random();
      assertThatThrownBy(() -> store.transition(id, Set.of(Status.QUEUED), Status.ACKNOWLEDGED, null, now()))
          .isInstanceOfSatisfying(NoSuchEntryException.class, e -> assertThat(e.entryId()).isEqualTo(id));
    }

    @Test
    @DisplayName("throws IllegalStatusTransitionException when the entry's status cannot move there")
    void illegal() {
      Entry e = entryIn(Status.DUPLICATE);
      assertThatThrownBy(() -> store.transition(e.id(), Set.of(Status.DUPLICATE), Status.JUST_IN, null, now()))
          .isInstanceOf(IllegalStatusTransitionException.class);
      assertThat(get(e.id())).isEqualTo(e);
      assertThat(history(e.id())).hasSize(1);
    }

    @Test
    @DisplayName("clears the lease and the next attempt time")
    void clearsLeaseAndNextAttempt() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      Entry failed = store.transition(claimed.id(), Set.of(Status.JUST_IN), Status.FAILED, "operator", now())
          .orElseThrow();
      assertThat(failed.lease()).isNull();

      Entry retrying = entryIn(Status.RETRYING);
      Entry moved = store.transition(retrying.id(), Set.of(Status.RETRYING), Status.FAILED, "gave up", now())
          .orElseThrow();
      assertThat(moved.nextAttemptAt()).isNull();
      assertThat(moved.lastError()).as("a move to FAILED records its detail as the last error").isEqualTo("gave up");
    }

    @Test
    @DisplayName("makes a QUEUED entry claimable again when it moves back to JUST_IN (republish)")
    void republish() {
      Entry e = entryIn(Status.QUEUED);
      store.transition(e.id(), Set.of(Status.QUEUED), Status.JUST_IN, "ack timeout", now());
      List<Entry> again = claim(e.route(), Layer.L1, 10, OTHER);
      assertThat(again).extracting(Entry::id).containsExactly(e.id());
      assertThat(again.get(0).attempts()).isEqualTo(2);
    }
  }

  @Nested
  @DisplayName("outputs stored finished")
  class FinishedOutputs {
    /** Output {@code index} of {@code source}, leased to {@code owner} as the engine's fast path does. */
    private NewEntry leasedOutput(Entry source, int index, String owner) {
      return output(source, index).withLease(new Lease(owner, now().plus(LEASE)));
    }

    @Test
    @DisplayName("an output worked on before the commit is stored in its status with both history rows, its own"
        + " outputs after it")
    void storedFinished() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      NewEntry l2 = output(claimed, 0).finished(Status.PROCESSED, "1 output(s)");
      Entry l2Entry = new Entry(l2.id(), l2.route(), l2.direction(), l2.layer(), Status.JUST_IN, l2.payload(),
          l2.headers(), l2.sourceId(), l2.traceId(), null, 0, null, null, 0, l2.producedBy(), null, now(), now());
      NewEntry l3 = leasedOutput(l2Entry, 0, OWNER);
      tick();

      assertThat(commit(done(claimed, Status.PROCESSED, l2, l3)).applied()).containsExactly(claimed.id());

      Entry stored = get(l2.id());
      assertThat(stored.status()).isEqualTo(Status.PROCESSED);
      assertThat(stored.lease()).isNull();
      assertThat(stored.attempts()).isEqualTo(1);
      assertThat(stored.payload()).isEqualTo(l2.payload());
      assertThat(history(l2.id())).containsExactly(
          new HistoryRecord(l2.id(), null, Status.JUST_IN, now(), null),
          new HistoryRecord(l2.id(), Status.JUST_IN, Status.PROCESSED, now(), "1 output(s)"));
      Entry next = get(l3.id());
      assertThat(next.status()).isEqualTo(Status.JUST_IN);
      assertThat(next.lease()).isEqualTo(l3.lease());
      assertThat(next.sourceId()).isEqualTo(l2.id());
      assertThat(store.findBySource(l2.id())).extracting(Entry::id).containsExactly(l3.id());
      assertThat(store.findByTrace(claimed.traceId())).extracting(Entry::id)
          .containsExactlyInAnyOrder(claimed.id(), l2.id(), l3.id());
      assertThat(claim(route, Layer.L2, 10, OTHER)).as("a finished output is not claimable").isEmpty();
    }

    @Test
    @DisplayName("nothing of a refused completion is stored, finished outputs included")
    void refusedStoresNothing() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      NewEntry l2 = output(claimed, 0).finished(Status.PROCESSED, null);
      Completion stale = new Completion(claimed.id(), OTHER, claimed.attempts(), Status.PROCESSED, null, null,
          null, List.of(l2));

      assertThat(commit(stale).refused()).containsExactly(claimed.id());
      assertThat(store.find(l2.id())).isEmpty();
    }

    @Test
    @DisplayName("intake refuses an entry marked finished, storing nothing")
    void intakeRefusesFinished() {
      NewEntry ok = root();
      NewEntry finished = root().finished(Status.PROCESSED, null);
      assertThatThrownBy(() -> store.intake(List.of(ok, finished), now()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finished");
      assertThat(store.find(ok.id())).isEmpty();
    }

    @Test
    @DisplayName("an entry cannot be marked finished as JUST_IN or RETRYING")
    void onlyFinalMoves() {
      assertThatThrownBy(() -> root().finished(Status.RETRYING, null))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RETRYING");
      assertThatThrownBy(() -> root().finished(Status.JUST_IN, null))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Nested
  @DisplayName("transitionAll")
  class TransitionAll {
    private List<EntryId> justIn(int n) {
      List<NewEntry> entries = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        entries.add(root());
      }
      store.intake(entries, now());
      return entries.stream().map(NewEntry::id).toList();
    }

    @Test
    @DisplayName("moves the entries in a from status as transition does, leaves the others and unknown ids out")
    void movesThoseInFrom() {
      Entry queued = entryIn(Status.QUEUED);
      Entry alsoQueued = entryIn(Status.QUEUED);
      Entry acknowledged = entryIn(Status.ACKNOWLEDGED);
      EntryId unknown = EntryId.random();
      tick();

      Set<EntryId> moved = store.transitionAll(List.of(queued.id(), acknowledged.id(), unknown, alsoQueued.id()),
          Set.of(Status.QUEUED), Status.ACKNOWLEDGED, "ack from core", now());

      assertThat(moved).containsExactlyInAnyOrder(queued.id(), alsoQueued.id());
      for (Entry e : List.of(queued, alsoQueued)) {
        assertThat(get(e.id())).isEqualTo(e.toBuilder().status(Status.ACKNOWLEDGED).lease(null)
            .nextAttemptAt(null).updatedAt(now()).build());
        assertThat(history(e.id())).last()
            .isEqualTo(new HistoryRecord(e.id(), Status.QUEUED, Status.ACKNOWLEDGED, now(), "ack from core"));
      }
      assertThat(get(acknowledged.id())).isEqualTo(acknowledged);
      assertThat(history(acknowledged.id())).hasSize(history(queued.id()).size() - 1);
      assertThat(store.find(unknown)).isEmpty();
    }

    @Test
    @DisplayName("moves an id given twice once, with one history row, and accepts an empty list")
    void twiceMovesOnce() {
      Entry e = entryIn(Status.QUEUED);
      int before = history(e.id()).size();

      assertThat(store.transitionAll(List.of(e.id(), e.id()), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, null,
          now())).containsExactly(e.id());
      assertThat(history(e.id())).hasSize(before + 1);
      assertThat(store.transitionAll(List.of(), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, null, now()))
          .isEmpty();
    }

    @Test
    @DisplayName("refuses a move no status of from can make, writing nothing")
    void refusesImpossibleMove() {
      Entry e = entryIn(Status.DUPLICATE);
      assertThatThrownBy(() -> store.transitionAll(List.of(e.id()), Set.of(Status.DUPLICATE), Status.JUST_IN,
          null, now())).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("DUPLICATE");
      assertThat(get(e.id())).isEqualTo(e);
    }

    @Test
    @DisplayName("moves a large batch, clearing leases")
    void largeBatch() {
      List<EntryId> ids = justIn(1_234);
      List<Entry> leased = claim(route, Layer.L1, 100, OWNER);
      tick();

      assertThat(store.transitionAll(ids, Set.of(Status.JUST_IN), Status.FAILED, "operator", now()))
          .containsExactlyInAnyOrderElementsOf(ids);
      assertThat(get(leased.get(0).id()).lease()).isNull();
      assertThat(store.query(EntryQuery.of(route, 2_000, Status.FAILED)))
          .hasSize(ids.size());
    }

    @Test
    @DisplayName("concurrent calls on the same entries move each exactly once")
    void concurrentCallsMoveEachOnce() throws Exception {
      List<EntryId> ids = justIn(300);
      int threads = 4;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Set<EntryId>>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          List<EntryId> mine = new ArrayList<>(ids);
          java.util.Collections.shuffle(mine, new java.util.Random(t));
          futures.add(pool.submit(() -> {
            start.await();
            return store.transitionAll(mine, Set.of(Status.JUST_IN), Status.FAILED, null, now());
          }));
        }
        start.countDown();
        List<EntryId> moved = new ArrayList<>();
        for (Future<Set<EntryId>> f : futures) {
          moved.addAll(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
        }
        assertThat(moved).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        for (EntryId id : ids.subList(0, 20)) {
          assertThat(history(id)).extracting(HistoryRecord::to).containsExactly(Status.JUST_IN, Status.FAILED);
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Nested
  @DisplayName("the Core App's late answers")
  class LateAnswers {
    @Test
    @DisplayName("an acknowledgement is taken from FAILED and REJECTED, with a history row saying it came late")
    void lateAcknowledgement() {
      Entry failed = entryIn(Status.FAILED);
      Entry rejected = entryIn(Status.REJECTED);
      tick();

      Optional<Entry> moved = store.transition(failed.id(), Set.of(Status.FAILED), Status.ACKNOWLEDGED,
          "acknowledged late, after Failed", now());
      Set<EntryId> all = store.transitionAll(List.of(rejected.id()), Set.of(Status.QUEUED, Status.FAILED,
          Status.REJECTED), Status.ACKNOWLEDGED, "acknowledged late", now());

      assertThat(moved).map(Entry::status).contains(Status.ACKNOWLEDGED);
      assertThat(history(failed.id())).last().isEqualTo(new HistoryRecord(failed.id(), Status.FAILED,
          Status.ACKNOWLEDGED, now(), "acknowledged late, after Failed"));
      assertThat(all).containsExactly(rejected.id());
      assertThat(get(rejected.id()).status()).isEqualTo(Status.ACKNOWLEDGED);
    }

    @Test
    @DisplayName("a SUPERSEDED entry is never acknowledged")
    void supersededIsNot() {
      assertThatThrownBy(() -> store.transitionAll(List.of(EntryId.random()), Set.of(Status.SUPERSEDED),
          Status.ACKNOWLEDGED, null, now())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @DisplayName("a negative acknowledgement moves QUEUED or FAILED to REJECTED and records its reason as the last"
        + " error")
    void negativeAcknowledgement() {
      Entry queued = entryIn(Status.QUEUED);
      Entry failed = entryIn(Status.FAILED);
      tick();

      Entry one = store.transition(queued.id(), Set.of(Status.QUEUED, Status.FAILED), Status.REJECTED,
          "rejected by the Core App: unknown sku", now()).orElseThrow();
      Set<EntryId> moved = store.transitionAll(List.of(failed.id()), Set.of(Status.QUEUED, Status.FAILED),
          Status.REJECTED, "rejected by the Core App: no such account", now());

      assertThat(one.lastError()).isEqualTo("rejected by the Core App: unknown sku");
      assertThat(get(queued.id()).lastError()).isEqualTo("rejected by the Core App: unknown sku");
      assertThat(moved).containsExactly(failed.id());
      assertThat(get(failed.id())).satisfies(e -> {
        assertThat(e.status()).isEqualTo(Status.REJECTED);
        assertThat(e.lastError()).isEqualTo("rejected by the Core App: no such account");
      });
    }

    @Test
    @DisplayName("a move to FAILED by transitionAll records its detail as the last error; other moves keep it")
    void failedRecordsItsReason() {
      Entry queued = entryIn(Status.QUEUED);
      Entry retrying = entryIn(Status.RETRYING);
      tick();

      store.transitionAll(List.of(queued.id()), Set.of(Status.QUEUED), Status.FAILED, "gave up", now());
      store.transitionAll(List.of(retrying.id()), Set.of(Status.RETRYING), Status.PROCESSED, "operator", now());

      assertThat(get(queued.id()).lastError()).isEqualTo("gave up");
      assertThat(get(retrying.id()).lastError()).isEqualTo("boom");
    }
  }

  @Nested
  @DisplayName("replay")
  class Replay {
    @Test
    @DisplayName("makes the entry JUST_IN again with its generation incremented and its attempts cleared")
    void replays() {
      Entry e = entryIn(Status.FAILED);
      tick();
      Entry replayed = store.replay(e.id(), "mapping fixed", now());

      assertThat(replayed.status()).isEqualTo(Status.JUST_IN);
      assertThat(replayed.generation()).isEqualTo(e.generation() + 1);
      assertThat(replayed.attempts()).isZero();
      assertThat(replayed.lease()).isNull();
      assertThat(replayed.lastError()).isNull();
      assertThat(replayed.nextAttemptAt()).isNull();
      assertThat(replayed.updatedAt()).isEqualTo(now());
      assertThat(get(e.id())).isEqualTo(replayed);
      assertThat(history(e.id())).last()
          .isEqualTo(new HistoryRecord(e.id(), Status.FAILED, Status.JUST_IN, now(), "mapping fixed"));
      assertThat(claim(e.route(), Layer.L1, 10, OWNER)).extracting(Entry::id).containsExactly(e.id());
    }

    @Test
    @DisplayName("supersedes the entry's outputs, except DUPLICATE and SUPERSEDED ones, with history rows")
    void supersedesOutputs() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      NewEntry waiting = output(claimed, 0);
      NewEntry processed = output(claimed, 1);
      commit(done(claimed, Status.PROCESSED, waiting, processed));
      Entry p = claim(route, Layer.L2, 10, OWNER).stream().filter(x -> x.id().equals(processed.id()))
          .findFirst().orElseThrow();
      commit(done(p, Status.PROCESSED));
      // A duplicate output: an intake entry linked to the source whose dedup key was seen.
      intake(withDedup(root(otherRoute, Layer.L1), "k"));
      NewEntry dup = new NewEntry(EntryId.random(), otherRoute, Direction.UPSTREAM, Layer.L2, Payload.json("{}"),
          Map.of(), claimed.id(), claimed.traceId(), "k", null, null);
      intake(dup);
      tick();

      store.replay(claimed.id(), "re-translate", now());

      assertThat(get(waiting.id()).status()).isEqualTo(Status.SUPERSEDED);
      assertThat(get(waiting.id()).lease()).isNull();
      assertThat(get(processed.id()).status()).isEqualTo(Status.SUPERSEDED);
      assertThat(get(dup.id()).status()).isEqualTo(Status.DUPLICATE);
      assertThat(history(processed.id())).last()
          .isEqualTo(new HistoryRecord(processed.id(), Status.PROCESSED, Status.SUPERSEDED, now(), "re-translate"));
      assertThat(history(dup.id())).hasSize(1);

      // A second replay leaves superseded outputs as they are.
      Entry again = claim(1).get(0);
      commit(done(again, Status.PROCESSED, output(again, 0)));
      tick();
      store.replay(claimed.id(), "once more", now());
      assertThat(history(processed.id())).hasSize(3);
      assertThat(get(output(again, 0).id()).status()).isEqualTo(Status.SUPERSEDED);
      assertThat(store.findBySource(claimed.id())).hasSize(4);
    }

    @Test
    @DisplayName("gives the outputs of the new run new ids, so the old outputs stay")
    void newIds() {
      intakeOne();
      Entry first = claim(1).get(0);
      commit(done(first, Status.PROCESSED, output(first, 0)));
      Entry replayed = store.replay(first.id(), null, now());
      Entry second = claim(1).get(0);
      assertThat(second.generation()).isEqualTo(replayed.generation());
      assertThat(output(second, 0).id()).isNotEqualTo(output(first, 0).id());
      commit(done(second, Status.PROCESSED, output(second, 0)));
      assertThat(store.find(output(second, 0).id())).isPresent();
      assertThat(store.find(output(first, 0).id())).isPresent();
    }

    @Test
    @DisplayName("replays a QUEUED entry")
    void queued() {
      Entry e = entryIn(Status.QUEUED);
      assertThat(store.replay(e.id(), null, now()).status()).isEqualTo(Status.JUST_IN);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Status.class, names = {"JUST_IN", "RETRYING", "DUPLICATE", "SUPERSEDED"})
    @DisplayName("throws IllegalStatusTransitionException from a status that cannot move to JUST_IN")
    void illegal(Status status) {
      Entry e = entryIn(status);
      tick();
      assertThatThrownBy(() -> store.replay(e.id(), null, now()))
          .isInstanceOf(IllegalStatusTransitionException.class);
      assertThat(get(e.id())).isEqualTo(e);
    }

    @Test
    @DisplayName("throws NoSuchEntryException for an unknown entry")
    void unknown() {
      assertThatThrownBy(() -> store.replay(EntryId.random(), null, now()))
          .isInstanceOf(NoSuchEntryException.class);
    }
  }

  @Nested
  @DisplayName("release")
  class Release {
    @Test
    @DisplayName("releases an owner's leases: claimable at once, the attempt still counted, no history row")
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
        assertThat(after.attempts()).as("attempts never decrease: they are the fencing token").isEqualTo(1);
        assertThat(history(e.id())).hasSize(1);
      }
      assertThat(get(theirs.id()).lease().owner()).isEqualTo(OTHER);
      assertThat(claim(route, Layer.L1, 10, OTHER)).extracting(Entry::id)
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
    @DisplayName("never hands out a fencing token twice: the claim after a release gets a new one, the old is refused")
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

  @Nested
  @DisplayName("queries")
  class Queries {
    @Test
    @DisplayName("find returns the entry with its payload, or empty")
    void find() {
      Entry e = intakeOne();
      assertThat(store.find(e.id()).orElseThrow().payload()).isNotNull();
      assertThat(store.find(EntryId.random())).isEmpty();
    }

    @Test
    @DisplayName("history lists every status change oldest first, and is empty for an unknown entry")
    void historyOrder() {
      Entry e = intakeOne();
      tick();
      commit(retry(claim(1).get(0), now().plusSeconds(1), "x"));
      tick();
      commit(done(claim(1).get(0), Status.QUEUED));
      tick();
      store.transition(e.id(), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, "ack", now());

      assertThat(history(e.id())).extracting(HistoryRecord::from, HistoryRecord::to, HistoryRecord::at)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(null, Status.JUST_IN, T0),
              org.assertj.core.groups.Tuple.tuple(Status.JUST_IN, Status.RETRYING, T0.plusSeconds(1)),
              org.assertj.core.groups.Tuple.tuple(Status.RETRYING, Status.QUEUED, T0.plusSeconds(2)),
              org.assertj.core.groups.Tuple.tuple(Status.QUEUED, Status.ACKNOWLEDGED, T0.plusSeconds(3)));
      assertThat(history(EntryId.random())).isEmpty();
    }

    /** Builds a root with two outputs, one of which has an output of its own. */
    private List<Entry> lineage() {
      Entry rootEntry = intakeOne();
      tick();
      Entry claimed = claim(1).get(0);
      commit(done(claimed, Status.PROCESSED, output(claimed, 0), output(claimed, 1)));
      tick();
      Entry child = claim(route, Layer.L2, 1, OWNER).get(0);
      commit(done(child, Status.PROCESSED, output(child, 0)));
      return List.of(rootEntry, get(output(claimed, 0).id()), get(output(claimed, 1).id()),
          get(output(child, 0).id()));
    }

    @Test
    @DisplayName("findByTrace returns every entry of a trace without payloads, by creation time then id")
    void byTrace() {
      List<Entry> all = lineage();
      intakeOne();
      List<Entry> trace = store.findByTrace(all.get(0).traceId());

      List<Entry> expected = new ArrayList<>(all);
      expected.sort(java.util.Comparator.comparing(Entry::createdAt).thenComparing(x -> x.id().value()));
      assertThat(trace).extracting(Entry::id).containsExactlyElementsOf(idList(expected));
      assertThat(trace).allSatisfy(e -> assertThat(e.payload()).isNull());
      assertThat(store.findByTrace(TraceId.random())).isEmpty();
    }

    @Test
    @DisplayName("findBySource returns an entry's outputs without payloads, by creation time then id")
    void bySource() {
      List<Entry> all = lineage();
      List<Entry> outputs = store.findBySource(all.get(0).id());
      List<Entry> expected = new ArrayList<>(List.of(all.get(1), all.get(2)));
      expected.sort(java.util.Comparator.comparing(x -> x.id().value()));

      assertThat(outputs).extracting(Entry::id).containsExactlyElementsOf(idList(expected));
      assertThat(outputs).allSatisfy(e -> {
        assertThat(e.payload()).isNull();
        assertThat(e.status()).isEqualTo(get(e.id()).status());
      });
      assertThat(store.findBySource(all.get(3).id())).isEmpty();
    }

    @Test
    @DisplayName("lineage leads from the last output back to the raw receipt")
    void lineageBack() {
      List<Entry> all = lineage();
      Entry e = all.get(3);
      List<EntryId> path = new ArrayList<>();
      while (e.sourceId() != null) {
        e = get(e.sourceId());
        path.add(e.id());
      }
      assertThat(path).containsExactly(all.get(1).id(), all.get(0).id());
      assertThat(e.payload()).isNotNull();
    }

    @Test
    @DisplayName("query filters by route, layer, status and updatedBefore, ordered by updatedAt then id")
    void query() {
      Entry a = intakeOne();
      tick();
      Entry b = intakeOne();
      tick();
      Entry c = intakeOne(root(route, Layer.L2));
      tick();
      intakeOne(root(otherRoute, Layer.L1));
      Entry failed = entryIn(Status.FAILED);

      assertThat(store.query(new EntryQuery(route, null, Set.of(), null, 10, false)))
          .extracting(Entry::id).containsExactly(a.id(), b.id(), c.id());
      assertThat(store.query(new EntryQuery(route, Layer.L2, null, null, 10, false)))
          .extracting(Entry::id).containsExactly(c.id());
      assertThat(store.query(new EntryQuery(route, null, Set.of(), T0.plusSeconds(1), 10, false)))
          .extracting(Entry::id).containsExactly(a.id());
      assertThat(store.query(new EntryQuery(route, null, Set.of(), null, 2, false)))
          .extracting(Entry::id).containsExactly(a.id(), b.id());
      assertThat(store.query(EntryQuery.of(failed.route(), 10, Status.FAILED, Status.REJECTED)))
          .extracting(Entry::id).containsExactly(failed.id());
      assertThat(store.query(EntryQuery.of(route, 10, Status.FAILED))).isEmpty();
    }

    @Test
    @DisplayName("query orders by the last update, not by creation")
    void queryByUpdate() {
      Entry a = intakeOne();
      tick();
      Entry b = intakeOne();
      tick();
      store.transition(a.id(), Set.of(Status.JUST_IN), Status.FAILED, null, now());
      assertThat(store.query(new EntryQuery(route, null, null, null, 10, false)))
          .extracting(Entry::id).containsExactly(b.id(), a.id());
    }

    @Test
    @DisplayName("query breaks ties on updatedAt by id")
    void queryTies() {
      List<NewEntry> batch = List.of(root(), root(), root(), root());
      store.intake(batch, now());
      List<String> expected = batch.stream().map(n -> n.id().value()).sorted().toList();
      assertThat(store.query(new EntryQuery(route, null, null, null, 10, false)))
          .extracting(e -> e.id().value()).containsExactlyElementsOf(expected);
    }

    @Test
    @DisplayName("query loads payloads only when asked")
    void queryPayloads() {
      Entry e = intakeOne();
      assertThat(store.query(new EntryQuery(route, null, null, null, 10, true)).get(0).payload())
          .isEqualTo(e.payload());
      assertThat(store.query(new EntryQuery(route, null, null, null, 10, false)).get(0).payload()).isNull();
    }
  }

  @Nested
  @DisplayName("counts")
  class Counts {
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

      assertThat(countsOf(route)).containsExactlyInAnyOrder(
          new StatusCount(route, Layer.L1, Status.JUST_IN, 1),
          new StatusCount(route, Layer.L1, Status.PROCESSED, 1),
          new StatusCount(route, Layer.L2, Status.JUST_IN, 1));
      assertThat(countsOf(otherRoute)).isEmpty();
    }

    @Test
    @DisplayName("backlog counts JUST_IN and RETRYING entries of a route in any layer, and nothing else")
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

  @Nested
  @DisplayName("text no database takes as is (NUL, unpaired surrogates, megabytes)")
  class UnstorableText {
    private static final String NUL_TEXT = "partner said \0 here " + (char) 0xD800 + " and here";
    private static final String CLEANED = "partner said \uFFFD here \uFFFD and here";

    @Test
    @DisplayName("a commit whose detail and error carry NUL and an unpaired surrogate is applied, the text"
        + " cleaned")
    void nulInDetailAndError() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      Completion c = new Completion(claimed.id(), OWNER, claimed.attempts(), Status.RETRYING, NUL_TEXT,
          NUL_TEXT, now().plusSeconds(5), List.of());

      assertThat(commit(c).applied()).containsExactly(claimed.id());
      assertThat(get(claimed.id()).lastError()).isEqualTo(CLEANED);
      assertThat(history(claimed.id())).last().extracting(HistoryRecord::detail).isEqualTo(CLEANED);
    }

    @Test
    @DisplayName("a 10 MB error is kept cut to StorableText.MAX_DETAIL_LENGTH, saying how much was cut")
    void hugeError() {
      intakeOne();
      Entry claimed = claim(1).get(0);
      String huge = "x".repeat(10 * 1024 * 1024);
      Completion c = new Completion(claimed.id(), OWNER, claimed.attempts(), Status.FAILED, huge, huge, null,
          List.of());

      assertThat(commit(c).applied()).containsExactly(claimed.id());
      String kept = get(claimed.id()).lastError();
      assertThat(kept).hasSize(StorableText.MAX_DETAIL_LENGTH).startsWith("xxx")
          .contains(StorableText.CUT_MARK).endsWith(" more characters]");
    }

    @Test
    @DisplayName("a dedup key with NUL is stored, still deduplicates, and does not collide with its cleaned"
        + " look-alike")
    void nulInDedupKey() {
      List<IntakeResult> first = intake(withDedup(root(), "order-\0" + "1"));
      List<IntakeResult> second = intake(withDedup(root(), "order-\0" + "1"));
      List<IntakeResult> lookAlike = intake(withDedup(root(), "order-\uFFFD1"));

      assertThat(first.get(0).isDuplicate()).isFalse();
      assertThat(second.get(0).isDuplicate()).isTrue();
      assertThat(lookAlike.get(0).isDuplicate()).isFalse();
    }

    @Test
    @DisplayName("a content type with NUL and 1,000 characters is stored cleaned and cut to the column")
    void hugeContentType() {
      NewEntry n = root();
      String contentType = "application/json; x=" + "\0".repeat(3) + "y".repeat(1000);
      NewEntry odd = new NewEntry(n.id(), n.route(), n.direction(), n.layer(),
          Payload.ofUtf8("{}", contentType), n.headers(), null, n.traceId(), null, "ingestor@1", null);

      Entry stored = intakeOne(odd);

      assertThat(stored.payload().contentType()).hasSize(StorableText.MAX_CONTENT_TYPE_LENGTH)
          .startsWith("application/json; x=\uFFFD\uFFFD\uFFFDyyy");
      assertThat(stored.payload().asUtf8()).isEqualTo("{}");
    }

    @Test
    @DisplayName("transition and replay details with NUL are stored cleaned")
    void nulInTransitionAndReplay() {
      Entry e = entryIn(Status.QUEUED);
      tick();
      store.transition(e.id(), Set.of(Status.QUEUED), Status.FAILED, NUL_TEXT, now());
      assertThat(history(e.id())).last().extracting(HistoryRecord::detail).isEqualTo(CLEANED);

      tick();
      store.replay(e.id(), NUL_TEXT, now());
      assertThat(history(e.id())).last().extracting(HistoryRecord::detail).isEqualTo(CLEANED);
    }
  }

  @Nested
  @DisplayName("lease renewal")
  class Renewal {
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

      assertThat(renew(OWNER, LEASE, mine.toArray(new Entry[0]))).containsExactlyInAnyOrderElementsOf(ids(mine));
      clock.advance(Duration.ofSeconds(20)); // past the first expiry, before the renewed one
      assertThat(claim(route, Layer.L1, 10, OTHER)).isEmpty();
      for (Entry e : mine) {
        assertThat(get(e.id()).attempts()).as("a renewal is not a claim").isEqualTo(e.attempts());
        assertThat(history(e.id())).as("no history row").hasSize(1);
        assertThat(commit(done(e, Status.PROCESSED)).applied()).containsExactly(e.id());
      }
    }

    @Test
    @DisplayName("does not hold a lease another node took over after it expired, and leaves that node's lease")
    void takenOver() {
      intakeOne();
      Entry mine = claim(1).get(0);
      clock.advance(LEASE);
      Entry theirs = claimOnly(OTHER);

      assertThat(renew(OWNER, LEASE.multipliedBy(10), mine)).isEmpty();
      assertThat(get(mine.id()).lease()).isEqualTo(theirs.lease());
    }

    @Test
    @DisplayName("holds an expired lease that nobody took over, and keeps others out after renewing it")
    void expiredButNotTaken() {
      Entry e = intakeOne();
      Entry mine = claim(1).get(0);
      clock.advance(LEASE.multipliedBy(2));

      assertThat(renew(OWNER, LEASE, mine)).containsExactly(e.id());
      assertThat(claim(route, Layer.L1, 10, OTHER)).isEmpty();
    }

    @Test
    @DisplayName("does not hold the lease of an entry completed meanwhile, nor one claimed again under a new token")
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
      assertThat(store.renew(OWNER, List.of(new HeldLease(n.id(), 1)), LEASE, now())).containsExactly(n.id());
    }

    @Test
    @DisplayName("leaves unknown entries out, counts a lease given twice once, and accepts an empty list")
    void unknownAndDuplicates() {
      intakeOne();
      Entry mine = claim(1).get(0);
      assertThat(store.renew(OWNER, List.of(HeldLease.of(mine), HeldLease.of(mine),
          new HeldLease(EntryId.random(), 1)), LEASE, now())).containsExactly(mine.id());
      assertThat(store.renew(OWNER, List.of(), LEASE, now())).isEmpty();
    }

    @Test
    @DisplayName("refuses a lease duration that is not positive, with the rule and the value")
    void badDuration() {
      assertThatThrownBy(() -> store.renew(OWNER, List.of(), Duration.ZERO, now()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("leaseDuration must be positive, but was PT0S");
      assertThatThrownBy(() -> store.renew(null, List.of(), LEASE, now()))
          .isInstanceOf(NullPointerException.class).hasMessage("owner cannot be null");
    }
  }

  @Nested
  @DisplayName("nodes whose clocks differ (a store on a clock of its own)")
  class ClockSkew {
    /** A lease short enough to wait for. */
    private static final Duration SHORT = Duration.ofMillis(300);

    private StatusStore own;

    @BeforeEach
    void open() {
      own = openStoreOnItsOwnClock(store).orElse(null);
      Assumptions.assumeTrue(own != null, store + " judges leases and due times on the time its callers pass"
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

    /** Claims as {@code owner} until something comes or {@code within} passed (real time: the store's clock). */
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
    @DisplayName("a node whose clock is behind gets a lease that expires on the store's clock, not earlier")
    void behindDoesNotShortenItsLease() {
      NewEntry n = root();
      own.intake(List.of(n), now());
      Instant behind = now().minus(Duration.ofDays(1));
      assertThat(claimAt(OWNER, LEASE, behind)).hasSize(1);
      assertThat(claimAt(OTHER, LEASE, now())).isEmpty();
    }

    @Test
    @DisplayName("a lease lasts its duration on the store's clock, however far ahead the claimer's clock is")
    void leaseLastsItsDuration() {
      NewEntry n = root();
      own.intake(List.of(n), now());
      assertThat(claimAt(OWNER, SHORT, now().plus(Duration.ofDays(1)))).hasSize(1);
      assertThat(claimWithin(Duration.ofSeconds(10), OTHER, now())).extracting(Entry::id).containsExactly(n.id());
    }

    @Test
    @DisplayName("a retry is due after its delay on the store's clock, whatever the nodes' clocks say")
    void retryDueOnStoreClock() {
      NewEntry n = root();
      own.intake(List.of(n), now());
      Entry mine = claimAt(OWNER, LEASE, now()).get(0);
      own.commit(List.of(retry(mine, now().plus(Duration.ofHours(1)), "later")), now());
      assertThat(claimAt(OTHER, LEASE, now().plus(Duration.ofHours(2)))).as("due in an hour").isEmpty();

      NewEntry soon = root();
      own.intake(List.of(soon), now());
      Instant ahead = now().plus(Duration.ofDays(1));
      Entry claimed = claimAt(OWNER, LEASE, ahead).get(0);
      own.commit(List.of(retry(claimed, ahead.plus(SHORT), "soon")), ahead);
      assertThat(claimWithin(Duration.ofSeconds(10), OTHER, now())).extracting(Entry::id)
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
      assertThat(own.renew(OWNER, List.of(HeldLease.of(mine)), LEASE, behind)).containsExactly(n.id());
      // Past the short lease, on the store's clock: the renewed one still holds.
      assertThat(claimWithin(SHORT.multipliedBy(3), OTHER, now())).isEmpty();
    }
  }
}
