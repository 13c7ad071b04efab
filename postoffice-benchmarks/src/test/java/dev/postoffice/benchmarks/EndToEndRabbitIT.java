package dev.postoffice.benchmarks;

import static dev.postoffice.benchmarks.EndToEndSmokeTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.testkit.RequiredService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Runs the harness's RabbitMQ scenario with a few hundred messages, so a harness that broke is
 * noticed. No timing is asserted. Skips (or fails under POSTOFFICE_REQUIRE_SERVICES=true) without
 * PostgreSQL and RabbitMQ.
 */
@DisplayName("The end-to-end harness on PostgreSQL and RabbitMQ")
class EndToEndRabbitIT {

  @BeforeEach
  void services() {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
    RequiredService.assumeReachable("RabbitMQ", RabbitScenario.HOST, RabbitScenario.PORT);
  }

  @Test
  @DisplayName(
      "runs every message to Acknowledged and prints its figure beside the plain client's round trip")
  void rabbit() throws Exception {
    assertThat(run("rabbit", "300", "runs=1", "warmups=0"))
        .contains("RESULT rabbit: 300 msgs, 1 node(s)", "plain RabbitMQ client", "ratio");
  }

  @Test
  @DisplayName("runs on two nodes sharing the database and the broker")
  void twoNodes() throws Exception {
    assertThat(run("rabbit", "300", "runs=1", "warmups=0", "nodes=2", "baseline=false"))
        .contains("RESULT rabbit: 300 msgs, 2 node(s)");
  }
}
