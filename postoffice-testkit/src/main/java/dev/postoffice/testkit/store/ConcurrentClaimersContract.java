package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "concurrent
 * claimers". Claimers racing on one store, or on nodes sharing it, never receive the same entry.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class ConcurrentClaimersContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected ConcurrentClaimersContract(StoreFixture fixture) {
    super(fixture);
  }

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
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  List<EntryId> mine = new ArrayList<>();
                  while (true) {
                    List<Entry> got =
                        store.claim(new ClaimRequest(route, Layer.L1, 7, owner, LEASE, at));
                    if (got.isEmpty()) {
                      return mine;
                    }
                    got.forEach(e -> mine.add(e.id()));
                    if (commitEach) {
                      List<Completion> cs =
                          got.stream().map(e -> done(e, Status.PROCESSED)).toList();
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
    assertThat(history(any))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN, Status.PROCESSED);
  }

  @Test
  @DisplayName("on several nodes sharing the store, never receive the same entry")
  void acrossNodes() {
    Assumptions.assumeTrue(
        store.capabilities().sharedAcrossNodes(),
        store.getClass().getSimpleName() + " is not shared across nodes");
    Optional<StatusStore> second = openSecondNode(store);
    Assumptions.assumeTrue(
        second.isPresent(), "override openSecondNode(StatusStore) to test sharing across nodes");
    try (StatusStore node2 = second.get()) {
      Entry e = intakeOne();
      assertThat(node2.find(e.id())).isPresent();
      assertThat(claim(10)).hasSize(1);
      assertThat(node2.claim(new ClaimRequest(route, Layer.L1, 10, OTHER, LEASE, now()))).isEmpty();
      clock.advance(LEASE);
      assertThat(node2.claim(new ClaimRequest(route, Layer.L1, 10, OTHER, LEASE, now())))
          .hasSize(1);
    }
  }
}
