package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The runnable example")
class ExampleAppTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

  @Test
  @DisplayName(
      "settles a smaller run on real threads and prints the table, the rejected deliveries and traces")
  void smallRun() throws InterruptedException {
    int exit = ExampleApp.run(200, 50, Duration.ofSeconds(30), out);

    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(printed).isZero();
    assertThat(printed)
        .contains("Every entry reached a terminal status")
        .containsPattern("acme-orders L4 +- +\\d+")
        .containsPattern("postoffice.stage.duration acme-orders L2 translate +[\\d,]+ x, mean")
        .containsPattern("postoffice.rejected acme-orders +\\d+")
        .contains("orderId is required, but was missing")
        .contains("each exactly once")
        .contains("Queued -> Acknowledged")
        .contains("Retrying -> Dispatched");
  }

  @Test
  @DisplayName("exits 1 and says what is missing when the run does not settle in time")
  void unsettled() throws InterruptedException {
    int exit = ExampleApp.run(200, 50, Duration.ZERO, out);

    assertThat(exit).isEqualTo(1);
    assertThat(bytes.toString(StandardCharsets.UTF_8)).contains("FAILED: not every entry reached");
  }
}
