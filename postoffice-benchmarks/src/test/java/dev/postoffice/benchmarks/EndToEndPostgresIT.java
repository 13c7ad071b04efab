package dev.postoffice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.testkit.RequiredService;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Runs the PostgreSQL scenario of the harness with a few messages, so a harness that broke is noticed. No timing is asserted. */
@DisplayName("The end-to-end harness on PostgreSQL")
class EndToEndPostgresIT {

  @Test
  @DisplayName("runs every message to Acknowledged and prints its figure beside the plain JDBC baseline")
  void postgres() throws Exception {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      EndToEnd.run(Options.parse(new String[] {"postgresql", "100", "runs=1", "warmups=0", "batch=20"}), out);
    }
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("RESULT postgresql:", "plain JDBC", "ratio");
  }
}
