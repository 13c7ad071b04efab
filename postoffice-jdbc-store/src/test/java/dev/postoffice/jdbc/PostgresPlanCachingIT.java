package dev.postoffice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * On new PostgreSQL tables, the store's cached statements stop reading the entry table whole once
 * it has grown: a generic plan cached while the tables were nearly empty used a sequential scan at
 * every later call (see {@code YoungTableAnalyzer}), which made the engine with batching off three
 * times slower than plain JDBC. The same holds for the receipt log's batch read, which took 15–40
 * ms per delivery batch on such a plan.
 */
class PostgresPlanCachingIT {
  private static final RouteId ROUTE = RouteId.of("acme-orders");
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  private final TestDatabase db = TestDatabase.postgres();

  @AfterEach
  void drop() throws SQLException {
    db.close();
  }

  @Test
  @DisplayName(
      "status changes cached as generic plans on empty tables use the primary key once the table grew")
  void plansFollowTheTablesGrowth() throws SQLException {
    // One connection, so every call below reuses it and its server-side prepared statements, as the
    // connections of a busy pool are reused.
    HikariDataSource pool = db.anotherPool(1);
    JdbcStatusStore store = JdbcStatusStore.builder(pool).tablePrefix(db.prefix).build();
    store.migrate();
    Instant now = T0;
    for (int round = 0; round < 15; round++) {
      now = now.plusSeconds(1);
      NewEntry in = entry();
      store.intake(List.of(in), now);
      List<Entry> claimed =
          store.claim(new ClaimRequest(ROUTE, Layer.L1, 10, "node", Duration.ofSeconds(30), now));
      List<Completion> done = new ArrayList<>();
      for (Entry e : claimed) {
        done.add(
            new Completion(
                e.id(), "node", e.attempts(), Status.QUEUED, null, null, null, List.of()));
      }
      store.commit(done, now);
      store.transitionAll(List.of(in.id()), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, "ack", now);
    }
    for (int page = 0; page < 25; page++) {
      List<NewEntry> entries = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        entries.add(entry());
      }
      store.intake(entries, now);
    }

    assertThat(genericPlans(pool, "%UPDATE " + db.prefix + "entry e %"))
        .as("commit and transitionAll ran often enough to be prepared")
        .hasSize(2)
        .allSatisfy(plan -> assertThat(plan).doesNotContain("Seq Scan on " + db.prefix + "entry"));
  }

  @Test
  @DisplayName(
      "the receipt log's batch read, cached as a generic plan on an empty table, looks ids up by key once"
          + " the table grew")
  void receiptReadsFollowTheTablesGrowth() throws SQLException {
    HikariDataSource pool = db.anotherPool(1);
    JdbcReceiptLog receipts = JdbcReceiptLog.builder(pool).tablePrefix(db.prefix).build();
    receipts.migrate();
    int next = 0;
    for (int round = 0; round < 15; round++) {
      List<String> ids = List.of("m-" + next++, "m-" + next++);
      receipts.handledAmong("core", ids);
      receipts.markAllHandled("core", ids, T0);
    }
    // Past the second analyze (4,000 rows): from there a plan made with the table's statistics
    // looks each id up.
    for (int page = 0; page < 50; page++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        ids.add("m-" + next++);
      }
      receipts.markAllHandled("core", ids, T0);
    }

    assertThat(genericPlans(pool, "SELECT message_id FROM " + db.prefix + "receipt %"))
        .as("handledAmong ran often enough to be prepared")
        .hasSize(1)
        // The plan cached on the empty table scans all of the consumer's receipts and filters the
        // ids.
        .allSatisfy(
            plan ->
                assertThat(plan)
                    .doesNotContain("Seq Scan")
                    .doesNotContain("Filter")
                    .containsPattern("Index Cond: .*message_id"));
  }

  @Test
  @DisplayName(
      "the dedup keys' batch lookup, cached as a generic plan on an empty table, looks keys up by"
          + " index once the table grew")
  void dedupLookupsFollowTheTablesGrowth() throws SQLException {
    HikariDataSource pool = db.anotherPool(1);
    JdbcStatusStore store = JdbcStatusStore.builder(pool).tablePrefix(db.prefix).build();
    store.migrate();
    int next = 0;
    for (int round = 0; round < 15; round++) {
      store.intake(List.of(keyed("d-" + next++), keyed("d-" + next++)), T0);
    }
    // Past the second analyze (4,000 keys): from there a plan made with the table's statistics
    // looks each key up.
    for (int page = 0; page < 50; page++) {
      List<NewEntry> entries = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        entries.add(keyed("d-" + next++));
      }
      store.intake(entries, T0);
    }

    assertThat(genericPlans(pool, "SELECT dedup_key, entry_id FROM " + db.prefix + "dedup %"))
        .as("the two-key lookup ran often enough to be prepared")
        .isNotEmpty()
        // The plan cached on the empty table reads every key of the route through the primary key
        // ("Index Cond: route = $1", "Filter: dedup_key = ANY(...)"): 1,000 pages per lookup at
        // 10,000 keys.
        .allSatisfy(
            plan ->
                assertThat(plan)
                    .doesNotContain("Seq Scan")
                    .doesNotContain("Filter")
                    .containsPattern("Index Cond: .*dedup_key"));
  }

  private static NewEntry keyed(String dedupKey) {
    NewEntry e = entry();
    return new NewEntry(
        e.id(),
        e.route(),
        e.direction(),
        e.layer(),
        e.payload(),
        e.headers(),
        e.sourceId(),
        e.traceId(),
        dedupKey,
        e.producedBy(),
        e.lease());
  }

  /**
   * The plans PostgreSQL would run for this connection's server-side prepared statements matching a
   * pattern, forced to their cached generic plans (the ones a busy pool's statements end up on).
   */
  private static List<String> genericPlans(HikariDataSource pool, String likePattern)
      throws SQLException {
    List<String> plans = new ArrayList<>();
    try (Connection c = pool.getConnection();
        Statement st = c.createStatement()) {
      List<String> explains = new ArrayList<>();
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT name, cardinality(parameter_types)"
                  + " FROM pg_prepared_statements WHERE statement LIKE ?")) {
        ps.setString(1, likePattern);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            explains.add(
                "EXPLAIN EXECUTE \""
                    + rs.getString(1)
                    + "\"("
                    + String.join(", ", Collections.nCopies(rs.getInt(2), "NULL"))
                    + ")");
          }
        }
      }
      st.execute("SET plan_cache_mode = force_generic_plan");
      try {
        for (String explain : explains) {
          StringBuilder plan = new StringBuilder(explain).append('\n');
          try (ResultSet rs = st.executeQuery(explain)) {
            while (rs.next()) {
              plan.append(rs.getString(1)).append('\n');
            }
          }
          plans.add(plan.toString());
        }
      } finally {
        st.execute("RESET plan_cache_mode");
      }
    }
    return plans;
  }

  private static NewEntry entry() {
    return new NewEntry(
        EntryId.random(),
        ROUTE,
        Direction.UPSTREAM,
        Layer.L1,
        Payload.json("{}"),
        Map.of(),
        null,
        TraceId.random(),
        null,
        null,
        null);
  }
}
