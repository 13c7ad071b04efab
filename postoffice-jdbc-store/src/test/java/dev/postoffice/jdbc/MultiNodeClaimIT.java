package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Three "nodes" (each its own connection pool, store instance and owner id) move 20,000 upstream entries
 * through L1 to L4 on one PostgreSQL database with claim/commit loops, at the store level (no engine).
 */
@DisplayName("several nodes on one PostgreSQL database")
class MultiNodeClaimIT {
  private static final int ENTRIES = 20_000;
  private static final int BATCH = 100;
  private static final Duration LEASE = Duration.ofSeconds(30);

  private static TestDatabase db;
  private static final List<HikariDataSource> pools = new ArrayList<>();

  private RouteId route;
  private MutableClock clock;
  /** (layer, entry) to the node whose commit of it applied: exactly one per stage. */
  private final Map<String, String> committedBy = new ConcurrentHashMap<>();
  private final List<String> doubleCommits = new ArrayList<>();

  @BeforeAll
  static void database() {
    db = TestDatabase.postgres();
    db.migratedStore();
  }

  @AfterAll
  static void drop() throws Exception {
    if (db != null) {
      db.close();
    }
  }

  @BeforeEach
  void fill() {
    route = RouteId.of("multi-" + UUID.randomUUID().toString().substring(0, 8));
    clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
    JdbcStatusStore store = db.store();
    for (int i = 0; i < ENTRIES; i += 1000) {
      List<NewEntry> page = new ArrayList<>();
      for (int j = 0; j < 1000; j++) {
        page.add(new NewEntry(EntryId.random(), route, Direction.UPSTREAM, Layer.L1,
            Payload.json("{\"n\":" + (i + j) + "}"), Map.of(), null, TraceId.random(), null, "it@1", null));
      }
      store.intake(page, clock.instant());
    }
  }

  private JdbcStatusStore node() {
    return JdbcStatusStore.builder(db.anotherPool(2)).tablePrefix(db.prefix).build();
  }

  /** One pass over the four layers: claims a batch of each and commits it. Returns how many it moved. */
  private int pass(JdbcStatusStore store, String owner, AtomicReference<List<Entry>> abandon) {
    int moved = 0;
    for (Layer layer : Layer.values()) {
      Instant now = clock.instant();
      List<Entry> claimed = store.claim(new ClaimRequest(route, layer, BATCH, owner, LEASE, now));
      if (claimed.isEmpty()) {
        continue;
      }
      if (abandon != null && abandon.get() == null) {
        abandon.set(claimed); // the node "dies" holding these leases: no commit, no release
        return -1;
      }
      List<Completion> batch = new ArrayList<>();
      for (Entry e : claimed) {
        List<NewEntry> out = layer == Layer.L4 ? List.of() : List.of(new NewEntry(
            EntryId.derive(e.id(), e.generation(), 0), route, Direction.UPSTREAM, layer.next(Direction.UPSTREAM),
            e.payload(), Map.of(), e.id(), e.traceId(), null, "it@1", null));
        batch.add(new Completion(e.id(), owner, e.attempts(), layer == Layer.L4 ? Status.QUEUED : Status.PROCESSED,
            null, null, null, out));
      }
      CommitResult result = store.commit(batch, now);
      for (EntryId id : result.applied()) {
        if (committedBy.putIfAbsent(layer + "/" + id, owner) != null) {
          synchronized (doubleCommits) {
            doubleCommits.add(layer + "/" + id);
          }
        }
      }
      moved += claimed.size();
    }
    return moved;
  }

  private long count(JdbcStatusStore store, Layer layer, Status status) {
    return store.countByStatus().stream()
        .filter(c -> c.route().equals(route) && c.layer() == layer && c.status() == status)
        .mapToLong(StatusCount::count).sum();
  }

  private void assertAllDoneOnce(JdbcStatusStore store) {
    assertThat(doubleCommits).as("entries committed twice in one stage").isEmpty();
    assertThat(committedBy).hasSize(4 * ENTRIES);
    for (Layer layer : List.of(Layer.L1, Layer.L2, Layer.L3)) {
      assertThat(count(store, layer, Status.PROCESSED)).as(layer + " processed").isEqualTo(ENTRIES);
    }
    assertThat(count(store, Layer.L4, Status.QUEUED)).as("L4 queued").isEqualTo(ENTRIES);
    assertThat(store.backlog(route)).isZero();
  }

  @Test
  @DisplayName("each entry is worked by exactly one node per stage; none lost, none duplicated")
  void threeNodes() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> nodes = new ArrayList<>();
      for (int n = 0; n < 3; n++) {
        String owner = "node-" + n;
        JdbcStatusStore store = node();
        nodes.add(pool.submit(() -> {
          while (pass(store, owner, null) > 0 || store.backlog(route) > 0) {
            Thread.onSpinWait();
          }
          return null;
        }));
      }
      for (Future<?> f : nodes) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertAllDoneOnce(db.store());
    assertThat(committedBy.values()).as("every node did some of the work").contains("node-0", "node-1", "node-2");
  }

  @Test
  @DisplayName("a node stopped abruptly mid-run: the others finish its entries once its leases expire,"
      + " and its late commits are refused")
  void oneNodeDies() throws Exception {
    JdbcStatusStore observer = db.store();
    JdbcStatusStore victim = node();
    AtomicReference<List<Entry>> abandoned = new AtomicReference<>();
    // The victim works a while, then claims one more batch and stops without committing or releasing.
    for (int i = 0; i < 5; i++) {
      pass(victim, "victim", null);
    }
    pass(victim, "victim", abandoned);
    assertThat(abandoned.get()).isNotEmpty();

    AtomicBoolean leasesExpired = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> nodes = new ArrayList<>();
      for (int n = 0; n < 2; n++) {
        String owner = "node-" + n;
        JdbcStatusStore store = node();
        nodes.add(pool.submit(() -> {
          while (pass(store, owner, null) > 0 || store.backlog(route) > 0) {
            Thread.onSpinWait();
          }
          return null;
        }));
      }
      // Once only the victim's leased entries are left, time passes beyond their lease.
      while (!leasesExpired.get()) {
        if (observer.backlog(route) <= abandoned.get().size() && count(observer, Layer.L4, Status.QUEUED)
            + abandoned.get().size() >= ENTRIES) {
          clock.advance(LEASE.plusSeconds(1));
          leasesExpired.set(true);
        }
        Thread.onSpinWait();
      }
      for (Future<?> f : nodes) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertAllDoneOnce(observer);
    for (Entry e : abandoned.get()) {
      assertThat(committedBy.get(e.layer() + "/" + e.id())).isIn("node-0", "node-1");
    }

    // The victim wakes up and commits what it held: every completion is refused, nothing changes.
    Entry first = abandoned.get().get(0);
    List<Completion> late = abandoned.get().stream().map(e -> new Completion(e.id(), "victim", e.attempts(),
        e.layer() == Layer.L4 ? Status.QUEUED : Status.PROCESSED, "late", null, null, List.of())).toList();
    CommitResult result = victim.commit(late, clock.instant());
    assertThat(result.applied()).isEmpty();
    assertThat(result.refused()).hasSize(late.size());
    assertThat(observer.history(first.id())).noneMatch(h -> "late".equals(h.detail()));
    assertAllDoneOnce(observer);
  }
}
