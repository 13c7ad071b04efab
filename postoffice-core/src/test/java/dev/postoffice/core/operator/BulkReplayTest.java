package dev.postoffice.core.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.postoffice.PermanentFailureException;
import dev.postoffice.RawMessage;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Intercepted;
import dev.postoffice.core.support.Models;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.spi.StatusStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A bulk replay job")
class BulkReplayTest {
  private static final RouteId ORDERS = RouteId.of(Harness.ORDERS);
  private static final EntrySearch FAILED =
      EntrySearch.builder().route(ORDERS).statuses(Status.FAILED).build();

  private final Harness h = new Harness();
  private final AtomicBoolean fixed = new AtomicBoolean();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName("replays every selected entry once, recording who asked, and ends DONE")
  void replaysAll() {
    Pipeline p = pipeline("node-a", 200).build();
    p.start();
    failOrders(p, 12);
    fixed.set(true);

    ReplayJob job = p.operations().startBulkReplay(FAILED, "translator fixed in t-8", "alice");
    assertThat(job.total()).isEqualTo(12);
    Drain.untilIdle(p, h.transport);

    ReplayJob done = p.operations().replayJob(job.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(ReplayJob.State.DONE);
    assertThat(done.replayed()).isEqualTo(12);
    assertThat(p.operations().count(FAILED)).isZero();
    assertThat(layer4(p)).hasSize(12);
    for (Entry e : replayedEntries(p)) {
      assertThat(replayRows(e, job))
          .singleElement()
          .satisfies(
              row ->
                  assertThat(row.detail())
                      .startsWith("replayed by operator alice: translator fixed in t-8"));
    }
    p.close();
  }

  @Test
  @DisplayName("a second request for the same filter while the job runs answers with that job")
  void idempotent() {
    Pipeline p = pipeline("node-a", 200).build();
    p.start();
    failOrders(p, 3);

    ReplayJob first = p.operations().startBulkReplay(FAILED, "fix", "alice");
    ReplayJob second = p.operations().startBulkReplay(FAILED.withLimit(7), "fix again", "bob");

    assertThat(second.id()).isEqualTo(first.id());
    assertThat(p.operations().replayJobs(10)).hasSize(1);
    p.close();
  }

  @Test
  @DisplayName(
      "survives its node: another node takes it over after the lease and replays each entry once")
  void survivesACrash() {
    // node-a replays in pages of 5 (rate 10/s) and dies after recording its first page, in the
    // middle of its second:
    // the entries it replayed there are past the recorded cursor.
    AtomicInteger progressCalls = new AtomicInteger();
    StatusStore dying =
        Intercepted.around(
            StatusStore.class,
            h.store,
            (method, args, real) -> {
              if (method.getName().equals("recordReplayProgress")
                  && progressCalls.incrementAndGet() == 2) {
                throw new StoreUnavailableException("node-a died before recording its page", null);
              }
              return real.call();
            });
    Pipeline a = pipeline("node-a", 10).store(dying).build();
    a.start();
    failOrders(a, 13);
    fixed.set(true);
    ReplayJob job = a.operations().startBulkReplay(FAILED, "fix", "alice");

    assertThat(a.runOnce()).isPositive(); // page 1, recorded
    assertThat(a.operations().replayJob(job.id()).orElseThrow().replayed()).isEqualTo(5);
    assertThatThrownBy(a::runOnce).isInstanceOf(StoreUnavailableException.class); // page 2, lost
    // node-a is gone (never stopped: its lease on the job stays until it expires).

    Pipeline b = pipeline("node-b", 10).build();
    b.start();
    assertThat(b.runOnce()).as("the job's lease still holds").isLessThanOrEqualTo(13 * 4);
    assertThat(b.operations().replayJob(job.id()).orElseThrow().owner()).isEqualTo("node-a");
    h.clock.advance(Duration.ofSeconds(31));
    Drain.untilIdle(b, h.transport);

    ReplayJob done = b.operations().replayJob(job.id()).orElseThrow();
    assertThat(done.state()).isEqualTo(ReplayJob.State.DONE);
    // The 5 entries node-a replayed and did not record left the filter (node-b worked on them)
    // before
    // node-b reached their page: replayed once, not counted.
    assertThat(done.replayed()).isBetween(8L, 13L);
    List<Entry> replayed = replayedEntries(b);
    assertThat(replayed).hasSize(13);
    for (Entry e : replayed) {
      assertThat(replayRows(e, job)).as("replays of " + e.id()).hasSize(1);
    }
    assertThat(layer4(b)).hasSize(13);
    b.close();
  }

  @Test
  @DisplayName(
      "a store error before a page's progress is recorded: the page is walked again without"
          + " replaying twice what failed again meanwhile")
  void storeErrorMidPage() {
    AtomicInteger progressCalls = new AtomicInteger();
    StatusStore flaky =
        Intercepted.around(
            StatusStore.class,
            h.store,
            (method, args, real) -> {
              if (method.getName().equals("recordReplayProgress")
                  && progressCalls.incrementAndGet() == 1) {
                throw new StoreUnavailableException("the store blinked", null);
              }
              return real.call();
            });
    Pipeline a = pipeline("node-a", 10).store(flaky).build();
    a.start();
    failOrders(a, 13);
    // Not fixed: every replayed entry fails again, back in the job's filter.
    ReplayJob job = a.operations().startBulkReplay(FAILED, "retry", "alice");
    assertThatThrownBy(a::runOnce).isInstanceOf(StoreUnavailableException.class);

    Drain.untilIdle(a, h.transport);

    assertThat(a.operations().replayJob(job.id()).orElseThrow().state())
        .isEqualTo(ReplayJob.State.DONE);
    List<Entry> replayed = replayedEntries(a);
    assertThat(replayed).hasSize(13);
    for (Entry e : replayed) {
      assertThat(replayRows(e, job)).as("replays of " + e.id()).hasSize(1);
    }
    a.close();
  }

  @Test
  @DisplayName("once cancelled, replays nothing more")
  void cancel() {
    Pipeline p = pipeline("node-a", 10).build();
    p.start();
    failOrders(p, 12);
    fixed.set(true);
    ReplayJob job = p.operations().startBulkReplay(FAILED, "fix", "alice");
    p.runOnce(); // one page of 5

    ReplayJob cancelled = p.operations().cancelReplayJob(job.id(), "bob").orElseThrow();
    Drain.untilIdle(p, h.transport);

    assertThat(cancelled.state()).isEqualTo(ReplayJob.State.CANCELLED);
    ReplayJob after = p.operations().replayJob(job.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(ReplayJob.State.CANCELLED);
    assertThat(after.detail()).contains("bob");
    assertThat(replayedEntries(p)).hasSize(5);
    assertThat(p.operations().count(FAILED)).isEqualTo(7);
    p.close();
  }

  @Test
  @DisplayName("keeps to its rate on a node with worker threads")
  void rateLimited() {
    Pipeline p = pipeline("node-a", 200).build();
    p.start();
    failOrders(p, 20);
    fixed.set(true);
    p.close();
    Pipeline threaded =
        PostOffice.builder()
            .nodeId("node-t")
            .store(h.store)
            .transport(h.transport)
            .clock(h.clock)
            .bulkReplayRate(10)
            .route(h.ordersRoute(this::translate, h.settings()))
            .build();
    threaded.start();
    try {
      long started = System.nanoTime();
      ReplayJob job = threaded.operations().startBulkReplay(FAILED, "fix", "alice");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  threaded.operations().replayJob(job.id()).orElseThrow().state()
                      == ReplayJob.State.DONE);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      // 20 entries at 10 per second: the first at once, the last 1.9 s later at the earliest.
      assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(1800));
      assertThat(threaded.operations().replayJob(job.id()).orElseThrow().replayed()).isEqualTo(20);
    } finally {
      threaded.close();
    }
  }

  private dev.postoffice.core.PipelineBuilder pipeline(String node, int rate) {
    return h.pipeline(node)
        .bulkReplayRate(rate)
        .route(h.ordersRoute(this::translate, h.settings()));
  }

  private List<Models.LineOrdered> translate(Models.AcmeOrder order) {
    if (!fixed.get()) {
      throw new PermanentFailureException("unknown SKU in order " + order.orderId());
    }
    return Harness.perLine(order);
  }

  private void failOrders(Pipeline p, int n) {
    for (int i = 0; i < n; i++) {
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null));
      h.clock.advance(Duration.ofMillis(1));
    }
    Drain.untilIdle(p, h.transport);
    assertThat(p.operations().count(FAILED)).isEqualTo(n);
  }

  private static List<Entry> layer4(Pipeline p) {
    return p.operations()
        .search(EntrySearch.builder().route(ORDERS).layer(Layer.L4).limit(500).build())
        .entries();
  }

  /** The entries an operator replayed at least once. */
  private List<Entry> replayedEntries(Pipeline p) {
    return p
        .operations()
        .search(EntrySearch.builder().route(ORDERS).limit(500).build())
        .entries()
        .stream()
        .filter(e -> e.generation() > 0)
        .toList();
  }

  private List<HistoryRecord> replayRows(Entry e, ReplayJob job) {
    return h.store.history(e.id()).stream()
        .filter(r -> r.detail() != null && r.detail().contains("(bulk replay " + job.id() + ")"))
        .toList();
  }
}
