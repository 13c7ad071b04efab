package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.RoutePause;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "operator
 * methods": keyset search, dedup-key lookup, route pauses and replay jobs. Skipped, with a message,
 * for a store that does not declare {@link dev.postoffice.spi.StoreCapabilities#operatorApi()}.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class OperatorContract extends StoreContractGroup {
  private static final Duration JOB_LEASE = Duration.ofSeconds(30);

  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected OperatorContract(StoreFixture fixture) {
    super(fixture);
  }

  @BeforeEach
  void needsTheOperatorMethods() {
    Assumptions.assumeTrue(
        store.capabilities().operatorApi(),
        store + " declares no operator methods (StoreCapabilities.operatorApi)");
  }

  // ---- search -------------------------------------------------------------------------------

  @Test
  @DisplayName("search returns a route's entries newest first, without payloads")
  void searchNewestFirst() {
    Entry a = intakeOne();
    tick();
    Entry b = intakeOne();
    tick();
    Entry c = intakeOne();
    intakeOne(root(otherRoute, Layer.L1));

    EntryPage page = store.search(byRoute().build());

    assertThat(page.entries()).extracting(Entry::id).containsExactly(c.id(), b.id(), a.id());
    assertThat(page.entries()).allSatisfy(e -> assertThat(e.payload()).isNull());
    assertThat(page.entries().get(0).status()).isEqualTo(Status.JUST_IN);
    assertThat(page.next()).isEmpty();
  }

  @Test
  @DisplayName("entries created at the same instant are ordered by id, descending")
  void sameInstantById() {
    List<NewEntry> batch = List.of(root(), root(), root(), root());
    store.intake(batch, now());

    List<Entry> found = store.search(byRoute().build()).entries();

    List<String> expected =
        batch.stream().map(n -> n.id().value()).sorted(Comparator.reverseOrder()).toList();
    assertThat(found).extracting(e -> e.id().value()).isEqualTo(expected);
  }

  @Test
  @DisplayName("search filters by direction, layer and statuses")
  void filtersByDirectionLayerStatus() {
    Entry up = intakeOne();
    Entry down = intakeOne(downstream(route));
    Entry l2 = intakeOne(root(route, Layer.L2));
    Entry failed = failWith(route, "boom");

    assertThat(idsOf(search(byRoute().direction(Direction.DOWNSTREAM)))).containsExactly(down.id());
    assertThat(idsOf(search(byRoute().direction(Direction.UPSTREAM))))
        .containsExactlyInAnyOrder(up.id(), l2.id(), failed.id());
    assertThat(idsOf(search(byRoute().layer(Layer.L2)))).containsExactly(l2.id());
    assertThat(idsOf(search(byRoute().statuses(Status.FAILED, Status.REJECTED))))
        .containsExactly(failed.id());
    assertThat(idsOf(search(byRoute().statuses(Status.JUST_IN).layer(Layer.L1))))
        .containsExactlyInAnyOrder(up.id(), down.id());
  }

  @Test
  @DisplayName("search's time range includes createdFrom and excludes createdTo")
  void filtersByTime() {
    Entry first = intakeOne();
    tick();
    Instant from = now();
    Entry second = intakeOne();
    tick();
    Entry third = intakeOne();
    tick();
    Instant to = now();
    Entry fourth = intakeOne();

    assertThat(idsOf(search(byRoute().createdFrom(from).createdTo(to))))
        .containsExactly(third.id(), second.id());
    assertThat(idsOf(search(byRoute().createdFrom(to)))).containsExactly(fourth.id());
    assertThat(idsOf(search(byRoute().createdTo(from)))).containsExactly(first.id());
  }

  @Test
  @DisplayName("search finds text in the last error, ignoring case")
  void filtersByError() {
    Entry missing = failWith(route, "Field 'sku' is MISSING in line 3");
    tick();
    failWith(route, "timeout calling partner");
    intakeOne();

    assertThat(idsOf(search(byRoute().errorContains("missing")))).containsExactly(missing.id());
    assertThat(idsOf(search(byRoute().errorContains("SKU' IS")))).containsExactly(missing.id());
    assertThat(search(byRoute().errorContains("nowhere"))).isEmpty();
  }

  @Test
  @DisplayName("keyset pages cover every entry once and stay stable while entries are added")
  void pagesStayStable() {
    List<EntryId> all = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      all.add(0, intakeOne().id());
      tick();
    }
    EntrySearch first = byRoute().limit(3).build();

    EntryPage p1 = store.search(first);
    assertThat(idsOf(p1.entries())).containsExactlyElementsOf(all.subList(0, 3));
    assertThat(p1.next()).isPresent();

    // New entries arrive between the pages: they sort before page 1, not into page 2.
    intakeOne();
    tick();
    intakeOne();
    EntryPage p2 = store.search(first.withAfter(p1.next().orElseThrow()));
    assertThat(idsOf(p2.entries())).containsExactlyElementsOf(all.subList(3, 6));

    EntryPage p3 = store.search(first.withAfter(p2.next().orElseThrow()));
    assertThat(idsOf(p3.entries())).containsExactlyElementsOf(all.subList(6, 7));
    assertThat(p3.next()).as("the last page has no next cursor").isEmpty();
  }

  @Test
  @DisplayName("a page exactly filled is the last when nothing follows it")
  void exactPageIsLast() {
    intakeOne();
    tick();
    intakeOne();

    EntryPage page = store.search(byRoute().limit(2).build());

    assertThat(page.entries()).hasSize(2);
    assertThat(page.next()).isEmpty();
  }

  @Test
  @DisplayName("count counts what the filter selects, ignoring cursor and page size")
  void counts() {
    for (int i = 0; i < 4; i++) {
      intakeOne();
    }
    failWith(route, "bad");
    intakeOne(root(otherRoute, Layer.L1));

    assertThat(store.count(byRoute().limit(1).build())).isEqualTo(5);
    assertThat(store.count(byRoute().statuses(Status.FAILED).build())).isEqualTo(1);
    assertThat(store.count(byRoute().statuses(Status.ACKNOWLEDGED).build())).isZero();
  }

  @Test
  @DisplayName("a cursor the store never returned is refused")
  void refusesBadCursor() {
    assertThatThrownBy(() -> store.search(byRoute().after("not a cursor").build()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- dedup key ---------------------------------------------------------------------------

  @Test
  @DisplayName("findByDedupKey finds the first receipt and its duplicates, oldest first, any route")
  void findsByDedupKey() {
    String key = "shopify-" + route.value();
    Entry original = intakeOne(withDedup(root(), key));
    tick();
    Entry duplicate = intakeOne(withDedup(root(), key));
    tick();
    Entry elsewhere = intakeOne(withDedup(root(otherRoute, Layer.L1), key));
    intakeOne(withDedup(root(), key + "-other"));

    List<Entry> found = store.findByDedupKey(key);

    assertThat(idsOf(found)).containsExactly(original.id(), duplicate.id(), elsewhere.id());
    assertThat(found.get(1).status()).isEqualTo(Status.DUPLICATE);
    assertThat(found).allSatisfy(e -> assertThat(e.payload()).isNull());
    assertThat(store.findByDedupKey("no-such-key-" + route.value())).isEmpty();
  }

  // ---- pauses ------------------------------------------------------------------------------

  @Test
  @DisplayName("a route paused stays paused, with who paused it first, until it is resumed")
  void pausesAndResumes() {
    RoutePause pause = store.pauseRoute(route, "alice", now());
    tick();
    RoutePause again = store.pauseRoute(route, "bob", now());

    assertThat(pause).isEqualTo(new RoutePause(route, "alice", T0));
    assertThat(again).isEqualTo(pause);
    assertThat(store.pausedRoutes()).containsEntry(route, pause).doesNotContainKey(otherRoute);

    assertThat(store.resumeRoute(route, "alice", now())).isTrue();
    assertThat(store.pausedRoutes()).doesNotContainKey(route);
    assertThat(store.resumeRoute(route, "alice", now())).as("not paused any more").isFalse();
  }

  // ---- replay jobs -------------------------------------------------------------------------

  @Test
  @DisplayName("a replay job starts RUNNING, unowned, with the count of matching entries")
  void startsJob() {
    failWith(route, "a");
    failWith(route, "b");
    EntrySearch filter = byRoute().statuses(Status.FAILED).limit(7).after(null).build();

    ReplayJob job = store.startReplayJob(filter, "alice", "mapping fixed", now());

    assertThat(job.state()).isEqualTo(ReplayJob.State.RUNNING);
    assertThat(job.filter()).isEqualTo(filter.filter());
    assertThat(job.requestedBy()).isEqualTo("alice");
    assertThat(job.reason()).isEqualTo("mapping fixed");
    assertThat(job.total()).isEqualTo(2);
    assertThat(job.replayed()).isZero();
    assertThat(job.cursor()).isNull();
    assertThat(job.owner()).isNull();
    assertThat(job.createdAt()).isEqualTo(now());
    assertThat(store.replayJob(job.id())).contains(job);
  }

  @Test
  @DisplayName("a second request with an equal filter while a job runs answers with that job")
  void startIsIdempotent() {
    EntrySearch filter = byRoute().statuses(Status.FAILED).build();
    ReplayJob first = store.startReplayJob(filter, "alice", "fix", now());
    tick();

    ReplayJob second = store.startReplayJob(filter.withLimit(200), "bob", "again", now());
    ReplayJob other =
        store.startReplayJob(byRoute().statuses(Status.REJECTED).build(), "bob", "x", now());

    assertThat(second).isEqualTo(first);
    assertThat(other.id()).isNotEqualTo(first.id());
    assertThat(store.replayJobs(10))
        .extracting(ReplayJob::id)
        .containsExactly(other.id(), first.id());

    store.cancelReplayJob(first.id(), "alice", now());
    ReplayJob third = store.startReplayJob(filter, "alice", "fix", now());
    assertThat(third.id()).as("a new job once the first ended").isNotEqualTo(first.id());
  }

  @Test
  @DisplayName("a claimed job is not claimed again while its lease holds, and is after it expires")
  void claimAfterLeaseExpiry() {
    ReplayJob job = store.startReplayJob(byRoute().build(), "alice", "fix", now());

    ReplayJob mine = store.claimReplayJob(OWNER, JOB_LEASE, now()).orElseThrow();
    assertThat(mine.id()).isEqualTo(job.id());
    assertThat(mine.owner()).isEqualTo(OWNER);
    assertThat(store.claimReplayJob(OTHER, JOB_LEASE, now())).isEmpty();

    assertThat(store.recordReplayProgress(job.id(), OWNER, "c1", 5, 1, JOB_LEASE, now()))
        .isPresent();
    clock.advance(JOB_LEASE.minusSeconds(1));
    assertThat(store.claimReplayJob(OTHER, JOB_LEASE, now())).as("lease extended").isEmpty();
    clock.advance(JOB_LEASE);

    ReplayJob taken = store.claimReplayJob(OTHER, JOB_LEASE, now()).orElseThrow();
    assertThat(taken.owner()).isEqualTo(OTHER);
    assertThat(taken.cursor()).isEqualTo("c1");
    assertThat(taken.replayed()).isEqualTo(5);
    assertThat(taken.skipped()).isEqualTo(1);
  }

  @Test
  @DisplayName("progress is recorded only for the job's owner")
  void progressChecksOwner() {
    ReplayJob job = store.startReplayJob(byRoute().build(), "alice", "fix", now());
    assertThat(store.recordReplayProgress(job.id(), OWNER, "c", 1, 0, JOB_LEASE, now()))
        .as("not claimed yet")
        .isEmpty();
    store.claimReplayJob(OWNER, JOB_LEASE, now()).orElseThrow();

    assertThat(store.recordReplayProgress(job.id(), OTHER, "c", 1, 0, JOB_LEASE, now())).isEmpty();
    tick();
    ReplayJob recorded =
        store.recordReplayProgress(job.id(), OWNER, "c2", 3, 0, JOB_LEASE, now()).orElseThrow();
    assertThat(recorded.cursor()).isEqualTo("c2");
    assertThat(recorded.replayed()).isEqualTo(3);
    assertThat(recorded.updatedAt()).isEqualTo(now());

    // Another node takes the job over after the lease expired: the first owner is refused.
    clock.advance(JOB_LEASE.plusSeconds(1));
    store.claimReplayJob(OTHER, JOB_LEASE, now()).orElseThrow();
    assertThat(store.recordReplayProgress(job.id(), OWNER, "c3", 9, 0, JOB_LEASE, now())).isEmpty();
    assertThat(store.finishReplayJob(job.id(), OWNER, ReplayJob.State.DONE, null, now())).isEmpty();
    assertThat(store.replayJob(job.id()).orElseThrow().cursor()).isEqualTo("c2");
  }

  @Test
  @DisplayName("a cancelled job stops: its owner's progress is refused and nobody claims it")
  void cancel() {
    ReplayJob job = store.startReplayJob(byRoute().build(), "alice", "fix", now());
    store.claimReplayJob(OWNER, JOB_LEASE, now()).orElseThrow();

    ReplayJob cancelled = store.cancelReplayJob(job.id(), "bob", now()).orElseThrow();

    assertThat(cancelled.state()).isEqualTo(ReplayJob.State.CANCELLED);
    assertThat(cancelled.detail()).contains("bob");
    assertThat(store.recordReplayProgress(job.id(), OWNER, "c", 1, 0, JOB_LEASE, now())).isEmpty();
    clock.advance(JOB_LEASE.plusSeconds(1));
    assertThat(store.claimReplayJob(OTHER, JOB_LEASE, now())).isEmpty();
    assertThat(store.cancelReplayJob(job.id(), "carol", now())).contains(cancelled);
    assertThat(store.cancelReplayJob("no-such-job", "carol", now())).isEmpty();
  }

  @Test
  @DisplayName("the owner finishes a job, which then ends for good")
  void finish() {
    ReplayJob job = store.startReplayJob(byRoute().build(), "alice", "fix", now());
    store.claimReplayJob(OWNER, JOB_LEASE, now()).orElseThrow();
    store.recordReplayProgress(job.id(), OWNER, "c", 4, 0, JOB_LEASE, now()).orElseThrow();

    ReplayJob done =
        store
            .finishReplayJob(job.id(), OWNER, ReplayJob.State.DONE, "4 replayed", now())
            .orElseThrow();

    assertThat(done.state()).isEqualTo(ReplayJob.State.DONE);
    assertThat(done.replayed()).isEqualTo(4);
    assertThat(done.detail()).isEqualTo("4 replayed");
    assertThat(done.owner()).isNull();
    assertThat(store.replayJob(job.id())).contains(done);
    assertThat(store.cancelReplayJob(job.id(), "bob", now())).contains(done);
    assertThat(store.claimReplayJob(OTHER, JOB_LEASE, now())).isEmpty();
    assertThat(store.replayJob("no-such-job")).isEmpty();
    assertThatThrownBy(
            () -> store.finishReplayJob(job.id(), OWNER, ReplayJob.State.RUNNING, null, now()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a job's filter survives the store: every criterion reads back as it was given")
  void filterRoundTrips() {
    EntrySearch filter =
        byRoute()
            .direction(Direction.DOWNSTREAM)
            .layer(Layer.L3)
            .statuses(Status.FAILED, Status.REJECTED)
            .createdFrom(T0.minusSeconds(60).plusNanos(123_456_789))
            .createdTo(T0.plusSeconds(3600))
            .errorContains("Unknown SKU, \"x\"; = %_")
            .build();

    ReplayJob job = store.startReplayJob(filter, "alice", "fix", now());

    assertThat(store.replayJob(job.id()).orElseThrow().filter()).isEqualTo(filter.filter());
  }

  // ---- helpers -----------------------------------------------------------------------------

  private EntrySearch.Builder byRoute() {
    return EntrySearch.builder().route(route);
  }

  private List<Entry> search(EntrySearch.Builder b) {
    return store.search(b.limit(EntrySearch.MAX_LIMIT).build()).entries();
  }

  private NewEntry downstream(RouteId r) {
    return new NewEntry(
        EntryId.random(),
        r,
        Direction.DOWNSTREAM,
        Layer.L1,
        Payload.json("{}"),
        Map.of(),
        null,
        TraceId.random(),
        null,
        "consumer@1",
        null);
  }

  /** Stores an entry on a layer of its own (L3, claimed alone) and fails it with an error. */
  private Entry failWith(RouteId r, String error) {
    Entry e = intakeOne(root(r, Layer.L3));
    List<Entry> claimed = claim(r, Layer.L3, 10, OWNER);
    assertThat(claimed).extracting(Entry::id).containsExactly(e.id());
    Entry c = claimed.get(0);
    Completion fail =
        new Completion(
            c.id(), OWNER, c.attempts(), Status.FAILED, "given up", error, null, List.of());
    assertThat(commit(fail).applied()).containsExactly(e.id());
    return get(e.id());
  }

  private static List<EntryId> idsOf(List<Entry> entries) {
    return idList(entries);
  }
}
