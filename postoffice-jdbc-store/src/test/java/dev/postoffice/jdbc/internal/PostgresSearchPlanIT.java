package dev.postoffice.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Entry;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryPage;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.EntrySearch;
import dev.postoffice.testkit.RequiredService;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The operator search on PostgreSQL over a table of one million entries (ten routes, four layers, a
 * few percent failed or rejected): a filtered first page and the page after it read an index range
 * and stop after the page, with no sequential scan of the entries and no sort of more than a page's
 * worth of rows; the claim query still reads its own index, not the search's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@DisplayName("The keyset search on PostgreSQL with 1M entries")
class PostgresSearchPlanIT {
  private static final int ROWS = 1_000_000;
  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final RouteId ROUTE = RouteId.of("r3");

  private final String prefix =
      "sp" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "_";
  private PGSimpleDataSource ds;
  private JdbcStatusStore store;
  private OperatorOps ops;

  @BeforeAll
  void fill() throws Exception {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
    ds = new PGSimpleDataSource();
    ds.setURL(URL);
    ds.setUser("postgres");
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      // The table first, filled, then the migration builds every index over the rows at once: far
      // faster than maintaining eight indexes row by row.
      st.execute(Migrator.statements(v1()).get(0));
      st.execute(
          "INSERT INTO "
              + prefix
              + "entry (id, route, direction, layer, status, trace_id, dedup_key, attempts,"
              + " last_error, generation, created_at, updated_at)"
              + " SELECT lpad(to_hex(i), 12, '0') || '-' || substr(md5(i::text), 1, 20),"
              + " 'r' || (i % 10), 'UPSTREAM', 1 + (i / 10) % 4,"
              + " CASE WHEN (i / 10) % 47 = 0 THEN 'FAILED' WHEN (i / 10) % 47 = 1 THEN 'REJECTED'"
              + " WHEN (i / 10) % 47 = 2 THEN 'JUST_IN' ELSE 'ACKNOWLEDGED' END,"
              + " md5(i::text), CASE WHEN (i / 10) % 4 = 0 THEN 'd-' || i END, 1,"
              + " CASE WHEN (i / 10) % 47 = 0 THEN 'Unknown SKU ' || i END, 0,"
              + " 1893456000000000000 + i * 1000000, 1893456000000000000 + i * 1000000"
              + " FROM generate_series(1::BIGINT, "
              + ROWS
              + ") AS g(i)");
    }
    store = JdbcStatusStore.builder(ds).tablePrefix(prefix).build();
    store.migrate();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("ANALYZE " + prefix + "entry");
    }
    ops =
        new OperatorOps(
            new Tables(JdbcDialect.POSTGRESQL, prefix),
            new StoreClock(JdbcDialect.POSTGRESQL, false));
  }

  @AfterAll
  void drop() throws SQLException {
    if (ds == null) {
      return;
    }
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      for (String t :
          List.of(
              "entry",
              "history",
              "dedup",
              "poll_cursor",
              "receipt",
              "route_pause",
              "replay_job",
              "schema_version")) {
        st.execute("DROP TABLE IF EXISTS " + prefix + t);
      }
    }
  }

  @Test
  @DisplayName("a route's failed and rejected entries: first and next page read the route's index")
  void failedOfARoute() throws Exception {
    EntrySearch first =
        EntrySearch.builder().route(ROUTE).statuses(Status.FAILED, Status.REJECTED).build();
    assertReadsAPage(first);
    EntryPage page = store.search(first);
    assertThat(page.entries()).hasSize(EntrySearch.DEFAULT_LIMIT);
    EntrySearch next = first.withAfter(page.next().orElseThrow());
    assertReadsAPage(next);
    List<Entry> second = store.search(next).entries();
    assertThat(second.get(0).createdAt()).isBefore(page.entries().get(49).createdAt());
  }

  @Test
  @DisplayName(
      "failed and rejected entries of every route (the console's first page): first and next page"
          + " read the attention index, no sort")
  void needsAttentionAcrossRoutes() throws Exception {
    EntrySearch first = EntrySearch.builder().statuses(Status.FAILED, Status.REJECTED).build();
    JsonNode plan = assertReadsAPage(first);
    assertThat(indexes(plan)).contains(prefix + "entry_attention_idx");
    assertThat(nodes(plan, "Sort")).isEmpty();
    EntryPage page = store.search(first);
    assertThat(page.entries()).hasSize(EntrySearch.DEFAULT_LIMIT);
    JsonNode next = assertReadsAPage(first.withAfter(page.next().orElseThrow()));
    assertThat(nodes(next, "Sort")).isEmpty();
  }

  @Test
  @DisplayName("a route's entries of one layer with an error text: first and next page")
  void errorsOfALayer() throws Exception {
    EntrySearch first =
        EntrySearch.builder()
            .route(ROUTE)
            .layer(dev.postoffice.model.Layer.L2)
            .statuses(Status.FAILED)
            .errorContains("unknown sku")
            .limit(100)
            .build();
    assertReadsAPage(first);
    EntryPage page = store.search(first);
    assertThat(page.entries()).hasSize(100);
    assertReadsAPage(first.withAfter(page.next().orElseThrow()));
  }

  @Test
  @DisplayName("all of a route's entries, newest first: an index scan and no sort at all")
  void allOfARoute() throws Exception {
    EntrySearch first = EntrySearch.builder().route(ROUTE).limit(200).build();
    JsonNode plan = assertReadsAPage(first);
    assertThat(nodes(plan, "Sort")).isEmpty();
    assertThat(indexes(plan)).contains(prefix + "entry_route_created_idx");
    EntryPage page = store.search(first);
    JsonNode next = assertReadsAPage(first.withAfter(page.next().orElseThrow()));
    assertThat(nodes(next, "Sort")).isEmpty();
  }

  @Test
  @DisplayName("the claim query still reads the claim index, not the search's")
  void claimsKeepTheirIndex() throws Exception {
    String claim =
        "SELECT id FROM "
            + prefix
            + "entry WHERE route = 'r3' AND layer = 1 AND (lease_expires_at IS NULL OR"
            + " lease_expires_at <= 1999999999999999999) AND status IN ('JUST_IN', 'RETRYING') AND"
            + " (status = 'JUST_IN' OR next_attempt_at <= 1999999999999999999) ORDER BY created_at,"
            + " seq LIMIT 50";
    JsonNode plan = explain(claim, List.of());
    assertThat(indexes(plan)).containsExactly(prefix + "entry_claim_idx");
  }

  @Test
  @DisplayName(
      "a route's failed and waiting entries by last change (the operator's and the republisher's"
          + " query) read the partial (route, status) index, which holds no finished entry")
  void unfinishedOfARouteByLastChange() throws Exception {
    QueryOps queries = new QueryOps(new Tables(JdbcDialect.POSTGRESQL, prefix));
    for (Status status : List.of(Status.FAILED, Status.JUST_IN)) {
      OperatorOps.Query q = queries.queryStatement(EntryQuery.of(ROUTE, 50, status));
      JsonNode plan = explain(q.sql(), q.args());
      assertThat(indexes(plan)).as("%s", plan).contains(prefix + "entry_route_status_idx");
      assertThat(nodes(plan, "Seq Scan")).isEmpty();
      assertThat(store.query(EntryQuery.of(ROUTE, 50, status)))
          .hasSize(50)
          .allSatisfy(e -> assertThat(e.status()).isEqualTo(status));
    }
    long unfinished =
        number(
            "SELECT count(*) FROM "
                + prefix
                + "entry WHERE status NOT IN ('PROCESSED', 'ACKNOWLEDGED', 'DISPATCHED')");
    assertThat(indexRows("entry_route_status_idx"))
        .isCloseTo(unfinished, withinPercentage(10))
        .isLessThan(ROWS / 10);
  }

  /** How many entries an index holds (the estimate the migration's ANALYZE left). */
  private long indexRows(String index) throws SQLException {
    return number(
        "SELECT reltuples::BIGINT FROM pg_class WHERE relname = '" + prefix + index + "'");
  }

  /** The number a one-row, one-column query returns. */
  private long number(String sql) throws SQLException {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  @DisplayName("the lookup by delivery id reads the dedup-key index")
  void byDedupKey() throws Exception {
    JsonNode plan =
        explain(
            "SELECT id FROM " + prefix + "entry WHERE dedup_key = ? ORDER BY created_at, id",
            List.of("d-123"));
    assertThat(indexes(plan)).contains(prefix + "entry_dedup_key_idx");
    assertThat(nodes(plan, "Seq Scan")).isEmpty();
    assertThat(store.findByDedupKey("d-40")).hasSize(1);
  }

  /**
   * Explains the search as the store runs it, executing it, and checks it read a small part of the
   * table: no sequential scan, no sort of more than a few pages of rows.
   */
  private JsonNode assertReadsAPage(EntrySearch search) throws Exception {
    OperatorOps.Query q = ops.searchQuery(search);
    JsonNode plan = explain(q.sql(), q.args());
    assertThat(nodes(plan, "Seq Scan")).as("sequential scans in %s", plan).isEmpty();
    for (JsonNode sort : nodes(plan, "Sort")) {
      long input = sort.get("Plans").get(0).get("Actual Rows").asLong();
      assertThat(input).as("rows sorted in %s", plan).isLessThan(ROWS / 100);
    }
    assertThat(plan.get("Execution Time").asDouble()).as("ms").isLessThan(2_000);
    return plan;
  }

  private JsonNode explain(String sql, List<Object> args) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)) {
      OperatorOps.bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return JSON.readTree(rs.getString(1)).get(0);
      }
    }
  }

  private static List<JsonNode> nodes(JsonNode root, String type) {
    List<JsonNode> out = new ArrayList<>();
    collect(root.has("Plan") ? root.get("Plan") : root, type, out);
    return out;
  }

  private static void collect(JsonNode node, String type, List<JsonNode> out) {
    if (type.equals(node.path("Node Type").asText())) {
      out.add(node);
    }
    for (JsonNode child : node.path("Plans")) {
      collect(child, type, out);
    }
  }

  private static List<String> indexes(JsonNode root) {
    List<String> out = new ArrayList<>();
    indexes(root.get("Plan"), out);
    return out;
  }

  private static void indexes(JsonNode node, List<String> out) {
    if (node.has("Index Name")) {
      out.add(node.get("Index Name").asText());
    }
    for (JsonNode child : node.path("Plans")) {
      indexes(child, out);
    }
  }

  private String v1() throws Exception {
    try (InputStream in =
        JdbcStatusStore.class.getResourceAsStream(
            "/dev/postoffice/jdbc/schema/postgresql/V1__entries.sql")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("${prefix}", prefix);
    }
  }
}
