package dev.postoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The reading endpoints")
class EntriesApiTest {
  static final String T = Shop.VIEWER_TOKEN;

  Shop shop;
  Console console;

  @BeforeEach
  void start() {
    shop = Shop.manual();
    shop.good("g-1");
    shop.good("g-2");
    shop.renamed("r-1");
    shop.renamed("r-2");
    shop.renamed("r-3");
    shop.submit("bad-json", "{\"id\":");
    shop.drain();
    console = Console.of(shop);
  }

  @AfterEach
  void stop() {
    console.close();
    shop.close();
  }

  @Test
  @DisplayName("GET /api/routes counts per layer and status, with the backlog and oldest age")
  void routes() {
    JsonNode route = console.get("routes", T).json().path("routes").get(0);
    assertThat(route.path("route").asText()).isEqualTo(Shop.ORDERS);
    assertThat(route.path("layers").path("L4").path("ACKNOWLEDGED").asLong()).isEqualTo(2);
    assertThat(route.path("totals").path("REJECTED").asLong()).isEqualTo(4);
    assertThat(route.path("needsOperator").asLong()).isEqualTo(4);
    assertThat(route.path("backlog").asLong()).isZero();
    assertThat(route.path("oldestWaitingSeconds").isNull()).isTrue();
    assertThat(route.path("paused").asBoolean()).isFalse();
  }

  @Test
  @DisplayName("GET /api/entries filters by route, layer, status and error text, newest first")
  void filters() {
    JsonNode page =
        console.get("entries?route=acme-orders&status=REJECTED&error=currency", T).json();
    List<String> errors = new ArrayList<>();
    List<java.time.Instant> created = new ArrayList<>();
    page.path("entries").forEach(e -> errors.add(e.path("lastError").asText()));
    page.path("entries")
        .forEach(e -> created.add(java.time.Instant.parse(e.path("createdAt").asText())));
    assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    assertThat(errors)
        .containsExactlyInAnyOrder(
            "order r-3: currency is missing (translator acme-orders@1)",
            "order r-2: currency is missing (translator acme-orders@1)",
            "order r-1: currency is missing (translator acme-orders@1)");
    assertThat(page.path("next").isNull()).isTrue();
    assertThat(page.path("filter").path("status").asText()).isEqualTo("REJECTED");

    String layer = page.path("entries").get(0).path("layer").asText();
    assertThat(console.get("entries?layer=" + layer + "&status=rejected", T).json().path("entries"))
        .hasSize(3);
    assertThat(
            console.get("entries?status=ACKNOWLEDGED&direction=upstream", T).json().path("entries"))
        .hasSize(2);
    assertThat(console.get("entries?status=REJECTED,FAILED", T).json().path("entries")).hasSize(4);
    assertThat(console.get("entries?route=other", T).json().path("entries")).isEmpty();
    assertThat(
            console
                .get("entries/count?status=REJECTED&error=currency", T)
                .json()
                .path("count")
                .asLong())
        .isEqualTo(3);
  }

  @Test
  @DisplayName("GET /api/entries filters by creation time")
  void timeRange() {
    JsonNode all = console.get("entries?limit=500", T).json().path("entries");
    String newest = all.get(0).path("createdAt").asText();
    assertThat(
            console
                .get("entries?to=" + enc(newest) + "&limit=500", T)
                .json()
                .path("entries")
                .size())
        .isLessThan(all.size());
    assertThat(
            console.get("entries?from=" + enc(newest), T).json().path("entries").get(0).path("id"))
        .isEqualTo(all.get(0).path("id"));
  }

  @Test
  @DisplayName("answers 400 naming the bad parameter and what it must be")
  void badParameters() {
    assertBad(
        "entries?layer=L9",
        "layer",
        "parameter 'layer' must be one of L1, L2, L3, L4, but was 'L9'");
    assertBad("entries?status=LOST", "status", "must be one of JUST_IN");
    assertBad("entries?from=yesterday", "from", "ISO-8601");
    assertBad("entries?limit=0", "limit", "between 1 and 500, but was '0'");
    assertBad("entries?cursor=garbage", "cursor", "'next' value of a previous page");
    assertBad(
        "entries?from=2026-12-07T03:00:00Z&to=2026-12-07T02:00:00Z", "to", "must be after from");
    assertBad("lookup", "q", "exactly one of");
    assertBad("entries/" + "x".repeat(100), "id", "must be an entry id");
  }

  private void assertBad(String path, String parameter, String message) {
    Console.Reply r = console.get(path, T);
    assertThat(r.status()).as(path).isEqualTo(400);
    assertThat(r.text("parameter")).as(path).isEqualTo(parameter);
    assertThat(r.text("error")).as(path).contains(message);
  }

  @Test
  @DisplayName("pages with a cursor that stays stable while entries are added")
  void stablePagination() {
    for (int i = 0; i < 20; i++) {
      shop.good("more-" + i);
    }
    shop.drain();
    Set<String> seen = new HashSet<>();
    List<String> order = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    int total = console.get("entries/count", T).json().path("count").asInt();
    do {
      JsonNode page =
          console.get("entries?limit=7" + (cursor == null ? "" : "&cursor=" + cursor), T).json();
      page.path("entries").forEach(e -> order.add(e.path("id").asText()));
      page.path("entries").forEach(e -> assertThat(seen.add(e.path("id").asText())).isTrue());
      cursor = page.path("next").isNull() ? null : page.path("next").asText();
      if (pages++ == 1) {
        // New traffic between pages: it sorts before the first page, never into the pages ahead.
        shop.good("late-1");
        shop.renamed("late-2");
        shop.drain();
      }
    } while (cursor != null);
    assertThat(seen).hasSize(total);
    assertThat(pages).isEqualTo((total + 6) / 7);
  }

  @Test
  @DisplayName("GET /api/lookup finds a message by delivery id, entry id, message id or trace id")
  void lookup() {
    JsonNode byDelivery = console.get("lookup?deliveryId=wh-r-1", T).json().path("matches");
    assertThat(byDelivery).hasSize(1);
    JsonNode raw = byDelivery.get(0).path("entry");
    assertThat(raw.path("layer").asText()).isEqualTo("L1");
    assertThat(byDelivery.get(0).path("matchedBy").asText()).isEqualTo("deliveryId");

    JsonNode entry = console.get("entries/" + raw.path("id").asText(), T).json();
    String traceId = entry.path("entry").path("traceId").asText();
    assertThat(console.get("lookup?traceId=" + traceId, T).json().path("matches").size())
        .isGreaterThanOrEqualTo(2);
    assertThat(
            console
                .get("lookup?q=" + traceId, T)
                .json()
                .path("matches")
                .get(0)
                .path("matchedBy")
                .asText())
        .isEqualTo("traceId");
    assertThat(console.get("lookup?entryId=" + raw.path("id").asText(), T).json().path("matches"))
        .hasSize(1);

    // The Core App's message id upstream is the layer-4 entry's id.
    String good =
        console
            .get("lookup?deliveryId=wh-g-1", T)
            .json()
            .path("matches")
            .get(0)
            .path("entry")
            .path("id")
            .asText();
    JsonNode l4 = console.get("entries/" + good, T).json().path("descendants");
    String messageId = l4.get(l4.size() - 1).path("id").asText();
    JsonNode byMessage = console.get("lookup?messageId=" + messageId, T).json().path("matches");
    assertThat(byMessage.get(0).path("entry").path("layer").asText()).isEqualTo("L4");
    assertThat(byMessage.get(0).path("entry").path("status").asText()).isEqualTo("ACKNOWLEDGED");
    assertThat(console.get("lookup?q=nothing-like-it", T).json().path("matches")).isEmpty();
  }

  @Test
  @DisplayName(
      "GET /api/entries/{id} shows the error, the raw bytes, the history, lineage and trace")
  void entry() {
    String rejected =
        console
            .get("entries?status=REJECTED&error=r-1", T)
            .json()
            .path("entries")
            .get(0)
            .path("id")
            .asText();
    JsonNode e = console.get("entries/" + rejected, T).json();
    assertThat(e.path("entry").path("lastError").asText()).contains("currency is missing");
    assertThat(e.path("payload").path("encoding").asText()).isEqualTo("text");
    JsonNode raw = e.path("ancestors").get(0);
    assertThat(raw.path("entry").path("layer").asText()).isEqualTo("L1");
    assertThat(raw.path("payload").path("text").asText())
        .isEqualTo("{\"id\":\"r-1\",\"qty\":1,\"curr\":\"EUR\"}");
    assertThat(raw.path("payload").path("contentType").asText()).isEqualTo("application/json");
    JsonNode history = e.path("history");
    assertThat(history.get(history.size() - 1).path("to").asText()).isEqualTo("REJECTED");
    assertThat(e.path("trace").size()).isEqualTo(e.path("ancestors").size() + 1);
    assertThat(e.path("traceSize").asInt()).isEqualTo(e.path("trace").size());
    assertThat(e.path("descendantCount").asInt()).isZero();
    assertThat(console.get("entries/does-not-exist", T).status()).isEqualTo(404);

    String traceId = e.path("entry").path("traceId").asText();
    JsonNode trace = console.get("traces/" + traceId, T).json();
    assertThat(trace.path("entries").get(0).path("entry").path("layer").asText()).isEqualTo("L1");
    assertThat(trace.path("entries").get(0).path("history").size()).isGreaterThanOrEqualTo(2);
    assertThat(console.get("traces/" + "0".repeat(31) + "1", T).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("shows binary payloads as hex and base64, and cuts big ones at the cap")
  void binaryAndBig() {
    shop.submitBinary("bin", new byte[] {0x00, 0x01, (byte) 0xff, 0x7f});
    shop.submit("big", "{\"id\":\"big\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
    shop.drain();
    String bin =
        console
            .get("lookup?deliveryId=wh-bin", T)
            .json()
            .path("matches")
            .get(0)
            .path("entry")
            .path("id")
            .asText();
    JsonNode p = console.get("entries/" + bin + "/payload", T).json();
    assertThat(p.path("encoding").asText()).isEqualTo("binary");
    assertThat(p.path("hex").asText()).isEqualTo("00 01 ff 7f");
    assertThat(p.path("base64").asText()).isEqualTo("AAH/fw==");

    String big =
        console
            .get("lookup?deliveryId=wh-big", T)
            .json()
            .path("matches")
            .get(0)
            .path("entry")
            .path("id")
            .asText();
    JsonNode bp = console.get("entries/" + big + "/payload", T).json();
    assertThat(bp.path("truncated").asBoolean()).isTrue();
    assertThat(bp.path("size").asInt()).isGreaterThan(70_000);
    assertThat(bp.path("text").asText()).hasSize(AdminHandler.DEFAULT_MAX_PAYLOAD_BYTES);
  }

  @Test
  @DisplayName("serves the web page and its modules under the prefix, and nothing else of the jar")
  void consoleFiles() {
    java.net.http.HttpRequest.Builder page =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(console.base()));
    var index = console.send(page.build()).raw();
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains("<title>PostOffice console</title>");
    var app =
        console
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(console.base() + "app.js"))
                    .build())
            .raw();
    assertThat(app.headers().firstValue("Content-Type")).contains("text/javascript; charset=utf-8");
    for (String path :
        new String[] {"../AdminHandler.class", "%2e%2e/x.js", "nope.js", "logback.xml"}) {
      assertThat(
              console
                  .send(
                      java.net.http.HttpRequest.newBuilder(
                              java.net.URI.create(console.base() + path))
                          .build())
                  .status())
          .as(path)
          .isEqualTo(404);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
