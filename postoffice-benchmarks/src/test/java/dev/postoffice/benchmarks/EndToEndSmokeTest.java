package dev.postoffice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Runs each scenario of the harness with a tiny number of messages, so a harness that broke is noticed. No timing is asserted. */
@DisplayName("The end-to-end harness")
class EndToEndSmokeTest {

  private static String run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      EndToEnd.run(Options.parse(args), out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Nested
  @DisplayName("runs every message to Acknowledged and prints its figures beside the baseline")
  class Scenarios {
    @Test
    @DisplayName("in memory")
    void inMemory() throws Exception {
      assertThat(run("inmemory", "300", "runs=1", "warmups=0"))
          .contains("RESULT inmemory:", "msgs/s median", "ratio");
    }

    @Test
    @DisplayName("on H2")
    void h2() throws Exception {
      assertThat(run("h2", "100", "runs=1", "warmups=0", "batch=20"))
          .contains("RESULT h2:", "plain JDBC", "ratio");
    }
  }

  @Test
  @DisplayName("refuses an unknown option with its usage")
  void unknownOption() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Options.parse(new String[] {"inmemory", "runz=2"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown options [runz]")
        .hasMessageContaining("usage: EndToEnd");
  }
}
