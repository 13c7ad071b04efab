package dev.postoffice.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postoffice.Intake;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.dispatch.PartnerStub;
import dev.postoffice.core.dispatch.PartnerStub.Reply;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("PollingIngestor")
class PollingIngestorTest {
  static final int RECORDS = 7;
  static final int PAGE = 2;
  static final ObjectMapper JSON = new ObjectMapper();

  private final Harness h = new Harness();
  private final HttpClient client = HttpClient.newHttpClient();
  private final List<Pipeline> pipelines = new ArrayList<>();

  /**
   * The partner's API: GET /orders?after=N answers records N+1..N+2, the next cursor and hasMore.
   */
  private final PartnerStub partner =
      PartnerStub.start(
          r -> {
            int after =
                r.query() == null ? 0 : Integer.parseInt(r.query().substring("after=".length()));
            StringBuilder items = new StringBuilder();
            int last = Math.min(RECORDS, after + PAGE);
            for (int i = after + 1; i <= last; i++) {
              items.append(i == after + 1 ? "" : ",").append(Models.orderJson("r-" + i, 1));
            }
            return Reply.of(
                200,
                "{\"items\":["
                    + items
                    + "],\"next\":\""
                    + last
                    + "\",\"hasMore\":"
                    + (last < RECORDS)
                    + "}");
          });

  @AfterEach
  void tearDown() {
    pipelines.forEach(Pipeline::close);
    partner.close();
    h.close();
  }

  /** The host's fetcher for the stand-in API. */
  private Page fetch(String cursor) throws IOException, InterruptedException {
    String query = cursor == null ? "" : "?after=" + cursor;
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(partner.uri("/orders" + query)).build(),
            HttpResponse.BodyHandlers.ofString());
    JsonNode page = JSON.readTree(response.body());
    List<RawMessage> records = new ArrayList<>();
    page.get("items")
        .forEach(
            item -> records.add(RawMessage.json(item.toString(), item.get("orderId").asText())));
    return new Page(records, page.get("next").asText(), page.get("hasMore").asBoolean());
  }

  private PollingIngestor start(String node, PollingIngestor.Builder poller) {
    return start(node, poller, h.settings());
  }

  private PollingIngestor start(
      String node, PollingIngestor.Builder poller, RouteSettings settings) {
    PollingIngestor ingestor = poller.manualPolling().build();
    pipelines.add(
        h.pipeline(node)
            .route(h.ordersRoute(Harness::perLine, settings))
            .ingestor(Harness.ORDERS, ingestor)
            .build()
            .start());
    return ingestor;
  }

  private List<Entry> layerOne() {
    return h.store.query(new EntryQuery(null, Layer.L1, null, null, 10_000, false));
  }

  private List<String> storedOrders() {
    return h.store.query(new EntryQuery(null, Layer.L1, null, null, 10_000, false)).stream()
        .map(Entry::dedupKey)
        .sorted()
        .toList();
  }

  private static List<String> allOrders() {
    List<String> all = new ArrayList<>();
    for (int i = 1; i <= RECORDS; i++) {
      all.add("r-" + i);
    }
    return all.stream().sorted().toList();
  }

  @Nested
  @DisplayName("paging")
  class Paging {
    @Test
    @DisplayName("stores every page with its cursor and follows hasMore until caught up")
    void followsPages() {
      PollingIngestor poller =
          start("node-a", PollingIngestor.builder(PollingIngestorTest.this::fetch));
      PollResult result = poller.pollOnce();

      assertThat(result.pages()).isEqualTo(4);
      assertThat(result.records()).isEqualTo(RECORDS);
      assertThat(result.error()).isEmpty();
      assertThat(result.nextPollIn()).isEqualTo(PollingIngestor.DEFAULT_INTERVAL);
      assertThat(pipelines.get(0).intake(Harness.ORDERS).cursor("default")).contains("7");
      assertThat(storedOrders()).isEqualTo(allOrders());

      PollResult idle = poller.pollOnce();
      assertThat(idle.pages()).isZero();
      assertThat(storedOrders()).hasSize(RECORDS);
    }

    @Test
    @DisplayName(
        "continues from the stored cursor after a restart, also one between fetch and store: each record once")
    void restart() {
      PollingIngestor first =
          start(
              "node-a",
              PollingIngestor.builder(PollingIngestorTest.this::fetch).maxPagesPerPoll(2));
      assertThat(first.pollOnce().records()).isEqualTo(4);
      pipelines.get(0).close();

      // The second node dies after fetching a page, before storing it.
      AtomicBoolean dies = new AtomicBoolean(true);
      PollingIngestor dying =
          start(
              "node-b",
              PollingIngestor.builder(
                  cursor -> {
                    Page page = fetch(cursor);
                    if (dies.getAndSet(false)) {
                      throw new IllegalStateException("killed between fetch and store");
                    }
                    return page;
                  }));
      assertThat(dying.pollOnce().error()).isPresent();
      pipelines.get(1).close();

      PollingIngestor third =
          start("node-c", PollingIngestor.builder(PollingIngestorTest.this::fetch));
      PollResult rest = third.pollOnce();
      assertThat(rest.records()).isEqualTo(3);
      assertThat(storedOrders()).isEqualTo(allOrders());
    }
  }

  @Nested
  @DisplayName("oversized records")
  class Oversized {
    private final String huge =
        "{\"orderId\":\"big\",\"pad\":\"" + "x".repeat(500) + "\",\"lines\":[]}";

    /**
     * A partner whose first page holds one record over the route's 200-byte limit between two good
     * ones.
     */
    private Page page(String cursor) {
      if (cursor == null) {
        return Page.last(
            List.of(
                RawMessage.json(Models.orderJson("ok-1", 1), "ok-1"),
                RawMessage.json(huge, "big"),
                RawMessage.json(Models.orderJson("ok-2", 1), "ok-2")),
            "3");
      }
      return Page.last(List.of(), cursor);
    }

    @Test
    @DisplayName(
        "commits the page's good records and its cursor, records the oversized one Rejected once, and a"
            + " second poll adds nothing")
    void onePoisonRecordDoesNotHoldThePage() {
      PollingIngestor poller =
          start(
              "node-a",
              PollingIngestor.builder(this::page),
              h.settings().toBuilder().maxPayloadBytes(200).build());

      PollResult result = poller.pollOnce();
      assertThat(result.error()).isEmpty();
      assertThat(result.pages()).isEqualTo(1);
      assertThat(result.records()).isEqualTo(3);
      assertThat(result.rejected()).isEqualTo(1);
      assertThat(pipelines.get(0).intake(Harness.ORDERS).cursor("default")).contains("3");
      assertThat(poller.pollOnce().error()).isEmpty();

      List<Entry> entries = layerOne();
      assertThat(entries)
          .filteredOn(e -> e.status() == Status.REJECTED)
          .singleElement()
          .satisfies(
              e -> {
                assertThat(e.lastError())
                    .isEqualTo(
                        "payload of 537 bytes is over route acme-orders's limit of 200 bytes"
                            + " (maxPayloadBytes)");
                assertThat(e.headers()).containsEntry("postoffice-original-dedup-key", "big");
              });
      assertThat(entries)
          .filteredOn(e -> e.status() != Status.REJECTED)
          .extracting(Entry::dedupKey)
          .containsExactlyInAnyOrder("ok-1", "ok-2");
    }

    @Test
    @DisplayName(
        "records nothing for a page another node stored first: the oversized record is Rejected once")
    void staleCursorRecordsNoSecondRejection() {
      AtomicBoolean raced = new AtomicBoolean();
      Intake[] intake = new Intake[1];
      PollingIngestor poller =
          start(
              "node-a",
              PollingIngestor.builder(
                  cursor -> {
                    Page page = page(cursor);
                    if (!raced.getAndSet(true)) {
                      intake[0].submitPage(page.records(), "default", cursor, page.nextCursor());
                    }
                    return page;
                  }),
              h.settings().toBuilder().maxPayloadBytes(200).build());
      intake[0] = pipelines.get(0).intake(Harness.ORDERS);

      PollResult result = poller.pollOnce();
      assertThat(result.staleCursors()).isEqualTo(1);
      assertThat(layerOne()).filteredOn(e -> e.status() == Status.REJECTED).hasSize(1);
      assertThat(layerOne()).hasSize(3);
    }
  }

  @Nested
  @DisplayName("failures")
  class Failures {
    @Test
    @DisplayName(
        "backs off exponentially while the partner fails and returns to the interval after a success")
    void backoff() {
      AtomicInteger failing = new AtomicInteger(3);
      PollingIngestor poller =
          start(
              "node-a",
              PollingIngestor.builder(
                      cursor -> {
                        if (failing.getAndDecrement() > 0) {
                          throw new IOException("partner down");
                        }
                        return fetch(cursor);
                      })
                  .interval(Duration.ofSeconds(30))
                  .backoff(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(3)));

      assertThat(poller.pollOnce().nextPollIn()).isEqualTo(Duration.ofSeconds(1));
      assertThat(poller.pollOnce().nextPollIn()).isEqualTo(Duration.ofSeconds(2));
      PollResult third = poller.pollOnce();
      assertThat(third.nextPollIn()).isEqualTo(Duration.ofSeconds(3));
      assertThat(third.error()).get().extracting(Throwable::getMessage).isEqualTo("partner down");
      assertThat(storedOrders()).isEmpty();

      PollResult recovered = poller.pollOnce();
      assertThat(recovered.records()).isEqualTo(RECORDS);
      assertThat(recovered.nextPollIn()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    @DisplayName(
        "drops its page when another node moved the cursor first, reads the cursor again and goes on")
    void staleCursor() {
      AtomicBoolean raced = new AtomicBoolean();
      AtomicInteger fetches = new AtomicInteger();
      Intake[] intake = new Intake[1];
      PollingIngestor poller =
          start(
              "node-a",
              PollingIngestor.builder(
                  cursor -> {
                    fetches.incrementAndGet();
                    Page page = fetch(cursor);
                    if (!raced.getAndSet(true)) {
                      // Another node fetched and stored the same page meanwhile.
                      intake[0].submitPage(page.records(), "default", cursor, page.nextCursor());
                    }
                    return page;
                  }));
      intake[0] = pipelines.get(0).intake(Harness.ORDERS);

      PollResult result = poller.pollOnce();
      assertThat(result.staleCursors()).isEqualTo(1);
      assertThat(result.records()).isEqualTo(RECORDS - PAGE);
      assertThat(storedOrders()).isEqualTo(allOrders());
      assertThat(fetches.get()).isEqualTo(4); // the raced page, then the three after it
    }

    @Test
    @DisplayName("polls on its own schedule once started, until closed")
    void scheduled() throws Exception {
      java.util.concurrent.CountDownLatch polled = new java.util.concurrent.CountDownLatch(2);
      PollingIngestor poller =
          PollingIngestor.builder(
                  cursor -> {
                    if ("7".equals(cursor)) {
                      polled.countDown(); // caught up, twice: the schedule went on after the first
                      // poll
                    }
                    return fetch(cursor);
                  })
              .interval(Duration.ofMillis(10))
              .build();
      pipelines.add(
          h.pipeline("node-a")
              .route(h.ordersRoute(Harness::perLine, h.settings()))
              .ingestor(Harness.ORDERS, poller)
              .build()
              .start());
      assertThat(polled.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      poller.close();
      assertThat(storedOrders()).isEqualTo(allOrders());
    }
  }
}
