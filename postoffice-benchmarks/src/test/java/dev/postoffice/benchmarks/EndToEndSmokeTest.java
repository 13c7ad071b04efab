package dev.postoffice.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Runs each scenario of the harness that needs no outside service with a few hundred messages (the
 * SQS one on its embedded ElasticMQ, SQS and downstream on H2), so a harness that broke is noticed.
 * No timing is asserted.
 */
@DisplayName("The end-to-end harness")
class EndToEndSmokeTest {

  static String run(String... args) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
      EndToEnd.run(Options.parse(args), out);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Nested
  @DisplayName("runs every message to its final status and prints its figures beside the baseline")
  class Scenarios {
    @Test
    @DisplayName("in memory")
    void inMemory() throws Exception {
      assertThat(run("inmemory", "300", "runs=1", "warmups=0"))
          .contains("RESULT inmemory:", "msgs/s median", "ratio")
          .containsPattern("run 1: .* submit p50 [0-9.]+ ms, p99 [0-9.]+ ms,");
    }

    @Test
    @DisplayName("in memory, on two nodes sharing the store and transport")
    void inMemoryTwoNodes() throws Exception {
      assertThat(run("inmemory", "300", "runs=1", "warmups=0", "nodes=2"))
          .contains("RESULT inmemory: 300 msgs, 2 node(s)", "ratio");
    }

    @Test
    @DisplayName("in memory, with a listener that ignores every event (what the events cost)")
    void inMemoryWithListener() throws Exception {
      assertThat(run("inmemory", "300", "runs=1", "warmups=0", "baseline=false", "listener=noop"))
          .contains("RESULT inmemory: 300 msgs", "listener noop");
    }

    @Test
    @DisplayName("in memory, with PostOfficeMetrics as the listener (what the meters cost)")
    void inMemoryWithMicrometer() throws Exception {
      assertThat(
              run(
                  "inmemory",
                  "300",
                  "runs=1",
                  "warmups=0",
                  "baseline=false",
                  "listener=micrometer"))
          .contains("RESULT inmemory: 300 msgs", "listener micrometer");
    }

    @Test
    @DisplayName("in memory, producers held to a rate (the run takes at least messages / rate)")
    void inMemoryAtARate() throws Exception {
      long started = System.nanoTime();
      assertThat(run("inmemory", "200", "runs=1", "warmups=0", "baseline=false", "rate=400"))
          .contains("RESULT inmemory: 200 msgs");
      assertThat(System.nanoTime() - started)
          .as("200 messages at 400/s")
          .isGreaterThan(450_000_000L);
    }

    @Test
    @DisplayName("on H2")
    void h2() throws Exception {
      assertThat(run("h2", "100", "runs=1", "warmups=0", "batch=20"))
          .contains("RESULT h2:", "plain JDBC", "ratio");
    }

    @Test
    @DisplayName("on H2, two nodes, with finished entries written to the tables first")
    void h2TwoNodesPrefilled() throws Exception {
      assertThat(run("h2", "200", "runs=1", "warmups=0", "batch=20", "nodes=2", "prefill=2000"))
          .contains(
              "pre-filled 2,000 finished entries",
              "RESULT h2: 200 msgs, 2 node(s), 2,000 pre-filled",
              "plain JDBC",
              "ratio");
    }

    @Test
    @DisplayName(
        "on H2, carrying messages out of a backlog written to the tables first, with the live heap")
    void h2Backlog() throws Exception {
      assertThat(
              run("h2", "200", "runs=1", "warmups=0", "batch=20", "backlog=1000", "baseline=false"))
          .contains(
              "1,000 messages waiting at layer 1 of bench-0", "(200 msgs in", "RESULT h2: 200 msgs")
          .as("nothing is submitted in a run out of a backlog")
          .doesNotContain("submit p50");
    }

    @Test
    @DisplayName("SQS on an embedded ElasticMQ, H2 store, until every entry is Acknowledged")
    void sqs() throws Exception {
      assertThat(run("sqs", "200", "runs=1", "warmups=0", "store=h2"))
          .contains("RESULT sqs: 200 msgs", "plain SqsClient", "ratio");
    }

    @Test
    @DisplayName("downstream over loopback HTTP, H2 store, until every request is Dispatched")
    void downstream() throws Exception {
      assertThat(run("downstream", "300", "runs=1", "warmups=0", "store=h2"))
          .contains("RESULT downstream: 300 msgs", "plain HttpClient", "ratio")
          .containsPattern("run 1: .* send p50 [0-9.]+ ms, p99 [0-9.]+ ms,");
    }
  }

  @Nested
  @DisplayName("refuses, with its usage,")
  class Refuses {
    @Test
    @DisplayName("an unknown option")
    void unknownOption() {
      assertThatThrownBy(() -> Options.parse(new String[] {"inmemory", "runz=2"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown options [runz]")
          .hasMessageContaining("usage: EndToEnd");
    }

    @Test
    @DisplayName("an unknown listener")
    void unknownListener() {
      assertThatThrownBy(() -> Options.parse(new String[] {"inmemory", "listener=prometheus"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("listener=none|noop|micrometer, not prometheus")
          .hasMessageContaining("usage: EndToEnd");
    }

    @Test
    @DisplayName("an unknown scenario")
    void unknownScenario() {
      assertThatThrownBy(() -> Options.parse(new String[] {"kafka"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("unknown scenario kafka")
          .hasMessageContaining("rabbit|sqs|downstream");
    }

    @Test
    @DisplayName("a store choice where the scenario names its store")
    void storeChoice() {
      assertThatThrownBy(() -> Options.parse(new String[] {"h2", "store=postgresql"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("applies to rabbit, sqs and downstream only");
    }

    @Test
    @DisplayName("a receipt log other than jdbc or memory")
    void unknownReceipts() {
      assertThatThrownBy(() -> Options.parse(new String[] {"rabbit", "receipts=redis"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("receipts=jdbc|memory");
    }

    @Test
    @DisplayName("a negative rate")
    void negativeRate() {
      assertThatThrownBy(() -> Options.parse(new String[] {"inmemory", "rate=-1"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("rate and backlog >= 0");
    }

    @Test
    @DisplayName("pre-filling the in-memory store")
    void prefillInMemory() {
      assertThatThrownBy(() -> Options.parse(new String[] {"inmemory", "prefill=10"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("prefill and backlog need a JDBC store");
    }

    @Test
    @DisplayName("a backlog smaller than the messages a run carries out of it")
    void backlogTooSmall() {
      assertThatThrownBy(() -> Options.parse(new String[] {"h2", "500", "backlog=100"}))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("backlog=100 is smaller than the 500 messages");
    }
  }
}
