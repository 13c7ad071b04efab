package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every group of {@link dev.postoffice.testkit.store.StatusStoreContract}: it takes the
 * store, clock and routes of the current test from a {@link StoreFixture} before each test, and
 * holds the entry builders and shortcuts the groups share, so no group repeats them.
 */
public abstract class StoreContractGroup {
  /** The start time of every test's clock. */
  public static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  /** The lease duration the tests claim with. */
  public static final Duration LEASE = Duration.ofSeconds(30);

  static final String OWNER = "node-a";
  static final String OTHER = "node-b";
  static final Duration PATIENCE = Duration.ofSeconds(60);

  StatusStore store;
  MutableClock clock;
  RouteId route;
  RouteId otherRoute;

  private final StoreFixture fixture;
  private final AtomicInteger counter = new AtomicInteger();

  /**
   * Creates a group that reads the store under test from a fixture.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected StoreContractGroup(StoreFixture fixture) {
    this.fixture = Objects.requireNonNull(fixture, "fixture cannot be null");
  }

  // Runs after the suite's @BeforeEach (an enclosing class's methods run first), which made the
  // store.
  @BeforeEach
  void takeTheFixture() {
    store = fixture.store();
    clock = fixture.clock();
    route = fixture.route();
    otherRoute = fixture.otherRoute();
  }

  Optional<StatusStore> openSecondNode(StatusStore first) {
    return fixture.openSecondNode(first);
  }

  Optional<StatusStore> openStoreOnItsOwnClock(StatusStore first) {
    return fixture.openStoreOnItsOwnClock(first);
  }

  Instant now() {
    return clock.instant();
  }

  void tick() {
    clock.advance(Duration.ofSeconds(1));
  }

  NewEntry root(RouteId r, Layer layer) {
    int n = counter.incrementAndGet();
    return new NewEntry(
        EntryId.random(),
        r,
        Direction.UPSTREAM,
        layer,
        Payload.json("{\"n\":" + n + "}"),
        Map.of("partner", "acme", "n", Integer.toString(n)),
        null,
        TraceId.random(),
        null,
        "ingestor@1",
        null);
  }

  NewEntry root() {
    return root(route, Layer.L1);
  }

  static NewEntry withDedup(NewEntry n, String key) {
    return new NewEntry(
        n.id(),
        n.route(),
        n.direction(),
        n.layer(),
        n.payload(),
        n.headers(),
        n.sourceId(),
        n.traceId(),
        key,
        n.producedBy(),
        n.lease());
  }

  static NewEntry output(Entry source, int index) {
    return new NewEntry(
        EntryId.derive(source.id(), source.generation(), index),
        source.route(),
        source.direction(),
        source.layer().next(source.direction()),
        Payload.json("{\"out\":" + index + "}"),
        Map.of("index", Integer.toString(index)),
        source.id(),
        source.traceId(),
        null,
        "stage@2",
        null);
  }

  List<IntakeResult> intake(NewEntry... entries) {
    return store.intake(List.of(entries), now());
  }

  Entry intakeOne(NewEntry n) {
    intake(n);
    return get(n.id());
  }

  Entry intakeOne() {
    return intakeOne(root());
  }

  Entry get(EntryId id) {
    return store.find(id).orElseThrow(() -> new AssertionError("entry " + id + " not found"));
  }

  List<Entry> claim(RouteId r, Layer layer, int limit, String owner) {
    return store.claim(new ClaimRequest(r, layer, limit, owner, LEASE, now()));
  }

  List<Entry> claim(int limit) {
    return claim(route, Layer.L1, limit, OWNER);
  }

  Entry claimOnly(String owner) {
    List<Entry> claimed = claim(route, Layer.L1, 10, owner);
    assertThat(claimed).as("claimed entries").hasSize(1);
    return claimed.get(0);
  }

  static Completion done(Entry claimed, Status to, NewEntry... outputs) {
    return new Completion(
        claimed.id(),
        claimed.lease().owner(),
        claimed.attempts(),
        to,
        "to " + to.name(),
        null,
        null,
        List.of(outputs));
  }

  static Completion retry(Entry claimed, Instant next, String error) {
    return new Completion(
        claimed.id(),
        claimed.lease().owner(),
        claimed.attempts(),
        Status.RETRYING,
        "retry",
        error,
        next,
        List.of());
  }

  CommitResult commit(Completion... completions) {
    return store.commit(List.of(completions), now());
  }

  static Set<EntryId> ids(List<Entry> entries) {
    Set<EntryId> ids = new HashSet<>();
    entries.forEach(e -> ids.add(e.id()));
    return ids;
  }

  static List<EntryId> idList(List<Entry> entries) {
    return entries.stream().map(Entry::id).toList();
  }

  /** Makes an entry, on a route of its own, that has reached a status through allowed moves. */
  Entry entryIn(Status status) {
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
    Completion c =
        status == Status.RETRYING
            ? retry(claimed, now().plus(Duration.ofHours(1)), "boom")
            : done(claimed, status);
    assertThat(commit(c).applied()).containsExactly(e.id());
    return get(e.id());
  }

  List<HistoryRecord> history(EntryId id) {
    return store.history(id);
  }
}
