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
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * The store on PostgreSQL keeps no cached generic plans: a plan cached while the tables were nearly empty reads
 * the entry table whole at every later call (see {@code CustomPlans}), which made the engine with batching
 * off three times slower than plain JDBC on new tables.
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
  @DisplayName("after many small commits on one connection, no statement of the store runs on a generic plan,"
      + " and the connection goes back to the pool with the driver's own threshold")
  void noGenericPlans() throws SQLException {
    // One connection, so every call below reuses it, as a busy pool's connections are reused.
    HikariDataSource pool = db.anotherPool(1);
    JdbcStatusStore store = JdbcStatusStore.builder(pool).tablePrefix(db.prefix).build();
    store.migrate();
    int thresholdBefore;
    try (Connection c = pool.getConnection()) {
      thresholdBefore = c.unwrap(PGConnection.class).getPrepareThreshold();
    }
    Instant now = T0;
    for (int round = 0; round < 15; round++) {
      now = now.plusSeconds(1);
      NewEntry in = new NewEntry(EntryId.random(), ROUTE, Direction.UPSTREAM, Layer.L1, Payload.json("{}"),
          Map.of(), null, TraceId.random(), null, null, null);
      store.intake(List.of(in), now);
      List<Entry> claimed = store.claim(new ClaimRequest(ROUTE, Layer.L1, 10, "node", Duration.ofSeconds(30),
          now));
      List<Completion> done = new ArrayList<>();
      for (Entry e : claimed) {
        done.add(new Completion(e.id(), "node", e.attempts(), Status.QUEUED, null, null, null, List.of()));
      }
      store.commit(done, now);
      store.transitionAll(List.of(in.id()), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, "ack", now);
      store.find(in.id());
    }

    try (Connection c = pool.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT statement, generic_plans FROM pg_prepared_statements"
            + " WHERE statement LIKE '%" + db.prefix + "%' AND generic_plans > 0")) {
      List<String> generic = new ArrayList<>();
      while (rs.next()) {
        generic.add(rs.getLong(2) + " generic plan(s): " + rs.getString(1));
      }
      assertThat(generic).as("store statements planned once for all parameters").isEmpty();
      assertThat(c.unwrap(PGConnection.class).getPrepareThreshold()).isEqualTo(thresholdBefore).isPositive();
    }
    assertThat(store.countByStatus()).singleElement()
        .satisfies(count -> assertThat(count.status()).isEqualTo(Status.ACKNOWLEDGED));
  }
}
