package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.NewEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "transitionAll".
 * Moving many entries at once, as transition moves one.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class TransitionAllContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected TransitionAllContract(StoreFixture fixture) {
    super(fixture);
  }

  private List<EntryId> justIn(int n) {
    List<NewEntry> entries = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      entries.add(root());
    }
    store.intake(entries, now());
    return entries.stream().map(NewEntry::id).toList();
  }

  @Test
  @DisplayName(
      "moves the entries in a from status as transition does, leaves the others and unknown ids out")
  void movesThoseInFrom() {
    Entry queued = entryIn(Status.QUEUED);
    Entry alsoQueued = entryIn(Status.QUEUED);
    Entry acknowledged = entryIn(Status.ACKNOWLEDGED);
    EntryId unknown = EntryId.random();
    tick();

    Set<EntryId> moved =
        store.transitionAll(
            List.of(queued.id(), acknowledged.id(), unknown, alsoQueued.id()),
            Set.of(Status.QUEUED),
            Status.ACKNOWLEDGED,
            "ack from core",
            now());

    assertThat(moved).containsExactlyInAnyOrder(queued.id(), alsoQueued.id());
    for (Entry e : List.of(queued, alsoQueued)) {
      assertThat(get(e.id()))
          .isEqualTo(
              e.toBuilder()
                  .status(Status.ACKNOWLEDGED)
                  .lease(null)
                  .nextAttemptAt(null)
                  .updatedAt(now())
                  .build());
      assertThat(history(e.id()))
          .last()
          .isEqualTo(
              new HistoryRecord(
                  e.id(), Status.QUEUED, Status.ACKNOWLEDGED, now(), "ack from core"));
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

    assertThat(
            store.transitionAll(
                List.of(e.id(), e.id()), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, null, now()))
        .containsExactly(e.id());
    assertThat(history(e.id())).hasSize(before + 1);
    assertThat(
            store.transitionAll(List.of(), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, null, now()))
        .isEmpty();
  }

  @Test
  @DisplayName("refuses a move no status of from can make, writing nothing")
  void refusesImpossibleMove() {
    Entry e = entryIn(Status.DUPLICATE);
    assertThatThrownBy(
            () ->
                store.transitionAll(
                    List.of(e.id()), Set.of(Status.DUPLICATE), Status.JUST_IN, null, now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DUPLICATE");
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
    assertThat(store.query(EntryQuery.of(route, 2_000, Status.FAILED))).hasSize(ids.size());
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
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  return store.transitionAll(
                      mine, Set.of(Status.JUST_IN), Status.FAILED, null, now());
                }));
      }
      start.countDown();
      List<EntryId> moved = new ArrayList<>();
      for (Future<Set<EntryId>> f : futures) {
        moved.addAll(f.get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
      }
      assertThat(moved).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
      for (EntryId id : ids.subList(0, 20)) {
        assertThat(history(id))
            .extracting(HistoryRecord::to)
            .containsExactly(Status.JUST_IN, Status.FAILED);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
