package dev.postoffice.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.jdbc.JdbcStatusStore;
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
import dev.postoffice.spi.NewEntry;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Retention deletes only what it selected as finished: an entry that joins an old trace between the
 * select and the delete (a replay, a downstream message carrying an old trace id) stays (issue 16,
 * defect 11).
 */
class RetentionOpsTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant BEFORE = T0.plus(Duration.ofHours(1));
  private static final RouteId ROUTE = RouteId.of("retention");

  private JdbcDataSource ds;
  private JdbcStatusStore store;
  private RetentionOps retention;

  @BeforeEach
  void open() {
    ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    store = JdbcStatusStore.builder(ds).build();
    store.migrate();
    retention = new RetentionOps(new Tables(JdbcDialect.H2, store.tablePrefix()));
  }

  @AfterEach
  void close() throws Exception {
    try (Connection c = ds.getConnection();
        var st = c.createStatement()) {
      st.execute("SHUTDOWN");
    }
  }

  private NewEntry entry(TraceId trace, EntryId source) {
    return new NewEntry(
        EntryId.random(),
        ROUTE,
        Direction.UPSTREAM,
        Layer.L1,
        Payload.json("{}"),
        Map.of(),
        source,
        trace,
        null,
        "test@1",
        null);
  }

  /** Stores an entry and finishes it (FAILED) at T0. */
  private Entry finishedAtT0(TraceId trace) {
    NewEntry n = entry(trace, null);
    store.intake(List.of(n), T0);
    Entry claimed =
        store
            .claim(new ClaimRequest(ROUTE, Layer.L1, 1, "node", Duration.ofSeconds(30), T0))
            .get(0);
    store.commit(
        List.of(
            new Completion(
                claimed.id(),
                "node",
                claimed.attempts(),
                Status.FAILED,
                "gave up",
                "boom",
                null,
                List.of())),
        T0);
    return claimed;
  }

  @Test
  @DisplayName(
      "an entry joining an old trace between retention's select and its delete is not deleted")
  void joinerSurvives() throws Exception {
    TraceId trace = TraceId.random();
    Entry old = finishedAtT0(trace);
    try (Connection c = ds.getConnection()) {
      List<String> selected = retention.finishedTraces(c, BEFORE, 10);
      assertThat(selected).containsExactly(trace.value());

      NewEntry joiner = entry(trace, null); // e.g. a downstream message carrying the old trace id
      store.intake(List.of(joiner), BEFORE.plusSeconds(60));

      retention.delete(c, selected, BEFORE);

      assertThat(store.find(joiner.id())).as("the entry that joined the trace").isPresent();
      assertThat(store.history(joiner.id())).hasSize(1);
      assertThat(store.find(old.id())).as("the finished entry retention selected").isEmpty();
    }
  }

  @Test
  @DisplayName(
      "an entry replayed between retention's select and its delete is not deleted, nor its history")
  void replayedSurvives() throws Exception {
    TraceId trace = TraceId.random();
    Entry old = finishedAtT0(trace);
    try (Connection c = ds.getConnection()) {
      List<String> selected = retention.finishedTraces(c, BEFORE, 10);

      store.replay(old.id(), "operator replay", BEFORE.plusSeconds(60));

      retention.delete(c, selected, BEFORE);

      assertThat(store.find(old.id())).map(Entry::status).contains(Status.JUST_IN);
      assertThat(store.history(old.id())).hasSize(3);
    }
  }
}
