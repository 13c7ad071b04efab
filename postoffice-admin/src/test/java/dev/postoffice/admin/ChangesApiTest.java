package dev.postoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The changing endpoints: replay, bulk replay, pause, and health")
class ChangesApiTest {
  static final String OP = Shop.OPERATOR_TOKEN;
  static final String BULK =
      "{\"route\":\"acme-orders\",\"status\":\"REJECTED\",\"error\":\"currency\",\"reason\":\"translator v2 reads curr\"}";

  Shop shop;
  Console console;

  @BeforeEach
  void start() {
    shop = Shop.manual();
    shop.good("g-1");
    for (int i = 1; i <= 5; i++) {
      shop.renamed("r-" + i);
    }
    shop.drain();
    console = Console.of(shop);
  }

  @AfterEach
  void stop() {
    console.close();
    shop.close();
  }

  private String rejected(String order) {
    return console
        .get("entries?status=REJECTED&error=" + order + ":", OP)
        .json()
        .path("entries")
        .get(0)
        .path("id")
        .asText();
  }

  @Test
  @DisplayName(
      "POST /api/entries/{id}/replay runs a fixed entry again, records who asked, and it reaches Acknowledged")
  void replayOne() {
    String id = rejected("r-1");
    shop.fixTranslator();
    Console.Reply r =
        console.post("entries/" + id + "/replay", OP, "{\"reason\":\"translator v2\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().path("entry").path("status").asText()).isEqualTo("JUST_IN");
    List<HistoryRecord> history = shop.store.history(EntryId.of(id));
    assertThat(history.get(history.size() - 1).detail())
        .isEqualTo("replayed by operator olivia: translator v2");

    shop.drain();
    JsonNode entry = console.get("entries/" + id, OP).json();
    assertThat(entry.path("entry").path("status").asText()).isEqualTo("PROCESSED");
    JsonNode last = entry.path("descendants").get(entry.path("descendants").size() - 1);
    assertThat(last.path("layer").asText()).isEqualTo("L4");
    assertThat(last.path("status").asText()).isEqualTo("ACKNOWLEDGED");
  }

  @Test
  @DisplayName(
      "answers 400 without a reason, 404 for an unknown entry, 409 for an entry that cannot be replayed")
  void replayRefusals() {
    String id = rejected("r-1");
    Console.Reply noReason = console.post("entries/" + id + "/replay", OP, "{}");
    assertThat(noReason.status()).isEqualTo(400);
    assertThat(noReason.text("parameter")).isEqualTo("reason");
    assertThat(console.post("entries/nope/replay", OP, "{\"reason\":\"x\"}").status())
        .isEqualTo(404);
    console.post("entries/" + id + "/replay", OP, "{\"reason\":\"once\"}");
    Console.Reply twice = console.post("entries/" + id + "/replay", OP, "{\"reason\":\"twice\"}");
    assertThat(twice.status()).isEqualTo(409);
    assertThat(twice.text("error")).contains("cannot be replayed now");
  }

  @Test
  @DisplayName(
      "POST /api/replays starts a tracked job for a filter; a second request for it gets the same job")
  void bulkStart() {
    Console.Reply started = console.post("replays", OP, BULK);
    assertThat(started.status()).isEqualTo(202);
    JsonNode job = started.json();
    assertThat(job.path("state").asText()).isEqualTo("RUNNING");
    assertThat(job.path("total").asLong()).isEqualTo(5);
    assertThat(job.path("requestedBy").asText()).isEqualTo("olivia");
    assertThat(job.path("filter").path("route").asText()).isEqualTo("acme-orders");
    assertThat(job.path("filter").path("error").asText()).isEqualTo("currency");

    assertThat(console.post("replays", OP, BULK).json().path("id")).isEqualTo(job.path("id"));
    assertThat(console.get("replays", OP).json().path("jobs")).hasSize(1);
    assertThat(
            console
                .get("replays/" + job.path("id").asText(), Shop.VIEWER_TOKEN)
                .json()
                .path("total")
                .asLong())
        .isEqualTo(5);
    assertThat(console.get("replays/no-such-job", OP).status()).isEqualTo(404);
  }

  @Test
  @DisplayName(
      "a bulk replay job replays every selected entry, shows its progress, and they reach Acknowledged")
  void bulkProgress() {
    String r3 = rejected("r-3");
    shop.fixTranslator();
    String id = console.post("replays", OP, BULK).json().path("id").asText();
    shop.drain();
    JsonNode job = console.get("replays/" + id, OP).json();
    assertThat(job.path("state").asText()).isEqualTo("DONE");
    assertThat(job.path("replayed").asLong()).isEqualTo(5);
    assertThat(job.path("percent").asDouble()).isEqualTo(100.0);
    assertThat(console.get("entries/count?status=REJECTED", OP).json().path("count").asLong())
        .isZero();
    assertThat(
            console
                .get("entries/count?layer=L4&status=ACKNOWLEDGED", OP)
                .json()
                .path("count")
                .asLong())
        .isEqualTo(6);
    List<HistoryRecord> history = shop.store.history(EntryId.of(r3));
    assertThat(history)
        .anyMatch(
            h ->
                h.detail() != null
                    && h.detail()
                        .startsWith(
                            "replayed by operator olivia: translator v2 reads curr (bulk replay "
                                + id));
  }

  @Test
  @DisplayName("POST /api/replays/{id}/cancel stops a job; it stays listed as cancelled, by whom")
  void bulkCancel() {
    String id = console.post("replays", OP, BULK).json().path("id").asText();
    Console.Reply cancelled = console.post("replays/" + id + "/cancel", OP, "{}");
    assertThat(cancelled.status()).isEqualTo(200);
    assertThat(cancelled.text("state")).isEqualTo("CANCELLED");
    assertThat(cancelled.text("detail")).contains("olivia");
    assertThat(console.get("replays/" + id, OP).text("state")).isEqualTo("CANCELLED");
    // A new request for the same filter starts a new job once the old one is over.
    assertThat(console.post("replays", OP, BULK).text("id")).isNotEqualTo(id);
    assertThat(console.post("replays/no-such-job/cancel", OP, "{}").status()).isEqualTo(404);
  }

  @Test
  @DisplayName(
      "refuses a bulk replay without a route and a status, or when more entries match than were confirmed")
  void bulkRefusals() {
    Console.Reply noStatus =
        console.post("replays", OP, "{\"route\":\"acme-orders\",\"reason\":\"x\"}");
    assertThat(noStatus.status()).isEqualTo(400);
    assertThat(noStatus.text("parameter")).isEqualTo("status");
    Console.Reply noRoute =
        console.post("replays", OP, "{\"status\":\"REJECTED\",\"reason\":\"x\"}");
    assertThat(noRoute.text("parameter")).isEqualTo("route");
    Console.Reply moreThanConfirmed =
        console.post(
            "replays",
            OP,
            "{\"route\":\"acme-orders\",\"status\":[\"REJECTED\"],\"reason\":\"x\",\"expectedCount\":3}");
    assertThat(moreThanConfirmed.status()).isEqualTo(409);
    assertThat(moreThanConfirmed.text("error"))
        .contains("now selects 5 entries, more than the 3 confirmed");
    assertThat(console.get("replays", OP).json().path("jobs")).isEmpty();
  }

  @Test
  @DisplayName(
      "POST /api/routes/{route}/pause and /resume keep the pause in the store, with who paused")
  void pauseResume() {
    Console.Reply paused = console.post("routes/acme-orders/pause", OP, "{}");
    assertThat(paused.status()).isEqualTo(200);
    assertThat(paused.json().path("paused").asBoolean()).isTrue();
    assertThat(paused.text("pausedBy")).isEqualTo("olivia");
    assertThat(shop.pipeline.operations().pausedRoutes())
        .containsKey(dev.postoffice.model.RouteId.of(Shop.ORDERS));
    assertThat(
            console
                .get("routes", Shop.VIEWER_TOKEN)
                .json()
                .path("routes")
                .get(0)
                .path("paused")
                .asBoolean())
        .isTrue();

    shop.good("during-pause");
    shop.drain();
    assertThat(console.get("entries/count?status=JUST_IN", OP).json().path("count").asLong())
        .as("intake stores while paused, no stage claims")
        .isEqualTo(1);

    Console.Reply resumed = console.post("routes/acme-orders/resume", OP, "{}");
    assertThat(resumed.json().path("paused").asBoolean()).isFalse();
    assertThat(shop.pipeline.operations().pausedRoutes()).isEmpty();
    shop.drain();
    assertThat(console.get("entries/count?status=JUST_IN", OP).json().path("count").asLong())
        .isZero();
  }

  @Test
  @DisplayName(
      "GET /api/health is UP with the store and the host's checks, DOWN (503) naming the failing one")
  void health() {
    Console.Reply up = console.get("health", Shop.VIEWER_TOKEN);
    assertThat(up.status()).isEqualTo(200);
    assertThat(up.text("status")).isEqualTo("UP");
    assertThat(up.json().path("checks").path("store").path("up").asBoolean()).isTrue();
    assertThat(up.json().path("routes").get(0).path("backlog").asLong()).isZero();

    shop.pipeline.intake(Shop.ORDERS); // still there: the check below is the host's broker
    try (Console withBroker =
        new Console(
            Console.handler(shop)
                .healthCheck("transport", () -> false)
                .healthCheck(
                    "partner-api",
                    () -> {
                      throw new java.io.IOException(
                          "connect to amqp://ops:s3cret@broker:5672 timed out");
                    })
                .build())) {
      shop.good("waiting"); // stored, not yet worked on: a backlog of one
      Console.Reply down = withBroker.get("health", Shop.VIEWER_TOKEN);
      assertThat(down.status()).isEqualTo(503);
      assertThat(down.text("status")).isEqualTo("DOWN");
      assertThat(down.json().path("checks").path("transport").path("up").asBoolean()).isFalse();
      // The type only: a message can hold a connection string with its password.
      assertThat(down.json().path("checks").path("partner-api").path("error").asText())
          .isEqualTo("IOException (details in the server's log)");
      assertThat(down.raw().body()).doesNotContain("s3cret");
      assertThat(down.json().path("routes").get(0).path("backlog").asLong()).isEqualTo(1);
      assertThat(down.json().path("routes").get(0).path("oldestWaitingSeconds").isNumber())
          .isTrue();
    }
    assertThat(shop.store.find(EntryId.of(rejected("r-2"))).orElseThrow().status())
        .isEqualTo(Status.REJECTED);
  }
}
