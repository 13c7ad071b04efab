package dev.postoffice.benchmarks;

import static dev.postoffice.benchmarks.EndToEndSmokeTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.testkit.RequiredService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness's PostgreSQL scenarios with a few hundred messages, so a harness that broke is
 * noticed. No timing is asserted. Skips (or fails under POSTOFFICE_REQUIRE_SERVICES=true) without
 * PostgreSQL.
 */
@DisplayName("The end-to-end harness on PostgreSQL")
class EndToEndPostgresIT {

  @BeforeEach
  void postgres() {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
  }

  @Test
  @DisplayName(
      "runs every message to Acknowledged and prints its figure beside the plain JDBC baseline")
  void upstream() throws Exception {
    assertThat(run("postgresql", "100", "runs=1", "warmups=0", "batch=20"))
        .contains("RESULT postgresql:", "plain JDBC", "ratio");
  }

  @Test
  @DisplayName("runs on two nodes, each with its own pool, over a pre-filled table")
  void twoNodesPrefilled() throws Exception {
    assertThat(run("postgresql", "300", "runs=1", "warmups=0", "nodes=2", "prefill=5000"))
        .contains(
            "RESULT postgresql: 300 msgs, 2 node(s), 5,000 pre-filled", "plain JDBC", "ratio");
  }

  @Test
  @DisplayName(
      "carries messages out of a backlog written to the tables first, sampling the live heap")
  void backlog() throws Exception {
    assertThat(
            run(
                "postgresql",
                "300",
                "runs=1",
                "warmups=0",
                "batch=50",
                "backlog=3000",
                "baseline=false"))
        .contains(
            "3,000 messages waiting at layer 1 of bench-0",
            "(300 msgs in",
            "RESULT postgresql: 300 msgs");
  }

  @Test
  @DisplayName("runs SQS (embedded ElasticMQ) on PostgreSQL until every entry is Acknowledged")
  void sqs() throws Exception {
    assertThat(run("sqs", "200", "runs=1", "warmups=0"))
        .contains("store postgresql", "RESULT sqs: 200 msgs", "plain SqsClient", "ratio");
  }

  @Test
  @DisplayName("runs the downstream path on PostgreSQL until every request is Dispatched")
  void downstream() throws Exception {
    assertThat(run("downstream", "300", "runs=1", "warmups=0", "nodes=2"))
        .contains(
            "store postgresql",
            "RESULT downstream: 300 msgs, 2 node(s)",
            "plain HttpClient",
            "ratio");
  }
}
