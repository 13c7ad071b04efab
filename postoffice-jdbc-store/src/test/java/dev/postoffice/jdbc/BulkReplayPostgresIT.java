package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.ReplayJob;
import dev.postoffice.testkit.MutableClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The bulk replay: 10,000 failed entries on PostgreSQL, replayed by a job whose node
 * crashes half-way; another node takes the job over once its lease expired and finishes it, and
 * every entry is replayed exactly once, its history naming who asked. The route is paused
 * throughout (a replay does not need the route to run; it makes the entries wait, Just In), so the
 * test measures the job, not the stages.
 */
@DisplayName("a bulk replay of 10,000 entries on PostgreSQL")
class BulkReplayPostgresIT {
  private static final int ENTRIES = 10_000;
  private static final RouteId ROUTE = RouteId.of(UpstreamFlow.ROUTE);
  private static final EntrySearch FAILED =
      EntrySearch.builder().route(ROUTE).statuses(Status.FAILED).build();

  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final InMemoryTransport transport = InMemoryTransport.create();
  private final List<Pipeline> pipelines = new ArrayList<>();
  private TestDatabase db;
  private JdbcStatusStore bare;

  @BeforeEach
  void seed() {
    db = TestDatabase.postgres();
    bare = db.migratedStore();
    // The entries a translator bug failed: layer 2, FAILED, created a millisecond apart.
    for (int from = 0; from < ENTRIES; from += 1_000) {
      List<NewEntry> batch = new ArrayList<>();
      for (int i = from; i < from + 1_000; i++) {
        batch.add(
            new NewEntry(
                EntryId.random(),
                ROUTE,
                Direction.UPSTREAM,
                Layer.L2,
                Payload.json(
                    "{\"orderId\":\"o-" + i + "\",\"lines\":[{\"sku\":\"s\",\"quantity\":1}]}"),
                Map.of(),
                null,
                TraceId.random(),
                null,
                "normalize@1",
                null));
        clock.advance(Duration.ofMillis(1));
      }
      bare.intake(batch, clock.instant());
      List<Entry> claimed =
          bare.claim(
              new ClaimRequest(
                  ROUTE, Layer.L2, 1_000, "seed", Duration.ofMinutes(5), clock.instant()));
      List<Completion> failed = new ArrayList<>();
      for (Entry e : claimed) {
        failed.add(
            new Completion(
                e.id(),
                "seed",
                e.attempts(),
                Status.FAILED,
                "given up",
                "unknown SKU",
                null,
                List.of()));
      }
      bare.commit(failed, clock.instant());
    }
    assertThat(bare.count(FAILED)).isEqualTo(ENTRIES);
    bare.pauseRoute(ROUTE, "alice", clock.instant());
  }

  @AfterEach
  void close() throws Exception {
    pipelines.forEach(Pipeline::close);
    transport.close();
    db.close();
  }

  @Test
  @DisplayName("survives its node crashing half-way and replays each entry exactly once")
  void survivesACrashHalfWay() throws Exception {
    CrashableNode nodeA = new CrashableNode();
    Pipeline a = node("node-a", nodeA);
    ReplayJob job = a.operations().startBulkReplay(FAILED, "translator fixed in t-8", "alice");
    assertThat(job.total()).isEqualTo(ENTRIES);

    await()
        .atMost(Duration.ofSeconds(120))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> bare.replayJob(job.id()).orElseThrow().replayed() >= ENTRIES / 2);
    nodeA.crash();
    ReplayJob atCrash = bare.replayJob(job.id()).orElseThrow();
    assertThat(atCrash.state()).isEqualTo(ReplayJob.State.RUNNING);
    assertThat(atCrash.owner()).isEqualTo("node-a");
    assertThat(atCrash.replayed()).isLessThan(ENTRIES);

    // Another node starts; it takes the job over once node-a's lease (30 s) has expired.
    clock.advance(Duration.ofSeconds(31));
    node("node-b", new CrashableNode());
    await()
        .atMost(Duration.ofSeconds(120))
        .until(() -> bare.replayJob(job.id()).orElseThrow().state() == ReplayJob.State.DONE);

    ReplayJob done = bare.replayJob(job.id()).orElseThrow();
    // Entries node-a replayed after its last recorded page left the filter: replayed, not counted.
    assertThat(done.replayed()).isBetween((long) ENTRIES - 100, (long) ENTRIES);
    assertThat(bare.count(FAILED)).isZero();
    String marker = "%(bulk replay " + job.id() + ")%";
    assertThat(
            count(
                "SELECT COUNT(*) FROM " + db.prefix + "entry WHERE route = ? AND generation = 1",
                ROUTE.value()))
        .as("entries replayed once")
        .isEqualTo(ENTRIES);
    assertThat(count("SELECT COUNT(*) FROM " + db.prefix + "entry WHERE generation > 1"))
        .as("entries replayed twice")
        .isZero();
    assertThat(count("SELECT COUNT(*) FROM " + db.prefix + "history WHERE detail LIKE ?", marker))
        .as("history rows of the job")
        .isEqualTo(ENTRIES);
    assertThat(
            count(
                "SELECT COUNT(*) FROM "
                    + db.prefix
                    + "history WHERE detail LIKE ? AND detail LIKE 'replayed by operator alice:%'",
                marker))
        .as("history rows naming who asked")
        .isEqualTo(ENTRIES);
  }

  private Pipeline node(String id, CrashableNode crashable) {
    JdbcStatusStore store =
        JdbcStatusStore.builder(crashable.dataSource(db.anotherPool(2)))
            .tablePrefix(db.prefix)
            .clock(JdbcClock.ENGINE)
            .build();
    Pipeline p =
        PostOffice.builder()
            .nodeId(id)
            .store(store)
            .transport(transport)
            .clock(clock)
            .bulkReplayRate(10_000)
            .shutdownTimeout(Duration.ofSeconds(2))
            .route(
                UpstreamFlow.route(
                    RouteSettings.builder().pollInterval(Duration.ofMillis(50)).build(),
                    order -> {},
                    order -> {}))
            .build()
            .start();
    pipelines.add(p);
    return p;
  }

  private long count(String sql, Object... args) throws Exception {
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        ps.setObject(i + 1, args[i]);
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
