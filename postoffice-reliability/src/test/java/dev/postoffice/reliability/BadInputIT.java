package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.PostOfficeException;
import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.intake.WebhookHandler;
import dev.postoffice.core.intake.WebhookResponse;
import dev.postoffice.core.intake.WebhookRoute;
import dev.postoffice.core.intake.WebhookServer;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Payload;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.reliability.Garbage.Input;
import dev.postoffice.reliability.Garbage.Kind;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guarantee 5 (bounded) with bad input: seeded garbage at the webhook over loopback, at {@code
 * intake.submit}, and on the Core App queue a downstream route consumes. Every bad input gets a
 * clear answer — a 4xx, an exception naming the problem, a {@code REJECTED} entry with a reason, or
 * a dead letter with a reason — never a 5xx or silence; the well-formed messages interleaved with
 * it all go through; the heap after GC stays roughly where it started.
 *
 * <p>Short mode: 240 inputs per channel; long mode 3,000.
 */
@DisplayName("Bad input at intake and at the downstream consumer")
class BadInputIT {
  private static final int PER_CHANNEL =
      Mode.pick("postoffice.reliability.badinput.count", 240, 3000);
  private static final int ROUTE_LIMIT = 64 * 1024;
  private static final int BODY_LIMIT = 256 * 1024;
  private static final Duration PATIENCE = Duration.ofSeconds(Mode.LONG ? 600 : 90);

  @RegisterExtension
  static final SuiteFixture suite =
      SuiteFixture.of("bad", "bad-input", 6, Flows.ORDERS_QUEUE, Flows.SHIPMENTS_QUEUE);

  /** What each channel answered, per kind of input: "kind -> answer -> count". */
  private final Map<String, Map<String, Integer>> answers = new TreeMap<>();

  private void tally(String channel, Kind kind, String answer) {
    answers
        .computeIfAbsent(channel + " " + kind, k -> new TreeMap<>())
        .merge(answer, 1, Integer::sum);
  }

  @Test
  @DisplayName(
      "every bad input is answered clearly and recorded, good ones interleaved all pass, and the heap"
          + " stays bounded")
  void garbage() throws Exception {
    JdbcStatusStore store = suite.store();
    store.migrate();
    RabbitTransport postOfficeRabbit =
        suite.opened(
            RabbitTransport.create(
                Services.rabbit(suite.queues(), Services.RABBIT_PORT, "bad-postoffice").build()));
    RabbitTransport coreRabbit =
        suite.opened(
            RabbitTransport.create(
                Services.rabbit(suite.queues(), Services.RABBIT_PORT, "bad-core").build()));
    Set<String> handled = ConcurrentHashMap.newKeySet();
    Set<String> dispatched = ConcurrentHashMap.newKeySet();
    Dispatcher partner =
        (request, context) -> {
          dispatched.add(
              plain(Flows.CODEC.decode(request.body(), Flows.PartnerShipment.class).reference()));
          return new DispatchResult(201, "{}");
        };
    RouteSettings settings =
        Flows.settings(Duration.ofSeconds(10)).maxPayloadBytes(ROUTE_LIMIT).build();
    WebhookHandler webhooks =
        WebhookHandler.builder()
            .route(
                WebhookRoute.builder("orders")
                    .maxBodyBytes(BODY_LIMIT)
                    .dedupHeader("Delivery-Id")
                    .build())
            .build();
    Pipeline pipeline =
        suite.opened(
            PostOffice.builder()
                .store(store)
                .transport(postOfficeRabbit)
                .route(Flows.orders("orders", Flows.ORDERS_QUEUE, settings))
                .route(
                    Flows.shipments(
                        "shipments",
                        Flows.SHIPMENTS_QUEUE,
                        URI.create("http://partner.invalid/"),
                        settings,
                        partner))
                .ingestor("orders", webhooks.ingestor("orders"))
                .build()
                .start());
    WebhookServer server =
        suite.opened(WebhookServer.builder(webhooks).host(Services.HOST).port(0).start());
    suite.opened(
        CoreAppReceiver.builder(coreRabbit, InMemoryReceiptLog.create(), Flows.OrderPlaced.class)
            .from(Flows.ORDERS_QUEUE)
            .name("orders")
            .handler((order, context) -> handled.add(plain(order.orderId())))
            .build()
            .start());
    Map<String, String> deadLetters = new ConcurrentHashMap<>();
    suite.opened(
        coreRabbit.subscribe(
            coreRabbit.deadLetterDestination(Flows.SHIPMENTS_QUEUE),
            m -> {
              deadLetters.put(
                  m.messageId(),
                  String.valueOf(m.headers().get(Transport.HEADER_DEAD_LETTER_REASON)));
              return Disposition.ack();
            }));

    long heapBefore = usedHeapAfterGc();
    Garbage garbage = new Garbage(Mode.SEED, ROUTE_LIMIT, BODY_LIMIT);
    Set<String> upstreamMustPass = new java.util.TreeSet<>();
    Set<String> downstreamMustPass = new java.util.TreeSet<>();
    Map<EntryId, Kind> upstreamEntries = new java.util.LinkedHashMap<>();
    Map<String, Kind> downstreamSent = new java.util.LinkedHashMap<>();
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI webhook = URI.create("http://" + Services.HOST + ":" + server.port() + "/webhooks/orders");

    int resets = 0;
    Set<EntryId> rejectUpstream = new java.util.HashSet<>();
    int noLastError = 0;
    for (int i = 0; i < PER_CHANNEL; i++) {
      // 1. The webhook over loopback; some bodies go chunked, without Content-Length.
      String id = "w-" + i;
      Input in = garbage.next(i, id);
      HttpRequest.BodyPublisher body =
          i % 4 == 1
              ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(in.body()))
              : HttpRequest.BodyPublishers.ofByteArray(in.body());
      Answer answer = post(http, webhook, in, "delivery-" + id, body);
      if (answer.status() < 0) {
        // The server answered 413 and closed without reading the body: the client may see a reset
        // instead.
        assertThat(in.kind())
            .as("connection reset for %s: %s", in.kind(), answer.body())
            .isEqualTo(Kind.OVER_BODY_LIMIT);
        resets++;
        tally("webhook", in.kind(), "connection reset (413 lost)");
      } else {
        int status = answer.status();
        assertThat(status)
            .as("webhook answer to %s (%s)", in.kind(), answer.body())
            .isLessThan(500);
        if (status >= 400) {
          assertThat(in.mustPass())
              .as("%s refused with %s: %s", in.kind(), status, answer.body())
              .isFalse();
          assertThat(answer.body()).as("the refusal says why").isNotBlank();
        }
        if (answer.entryId() != null) {
          upstreamEntries.put(EntryId.of(answer.entryId()), in.kind());
          if (in.mustBeRejected(true)) {
            rejectUpstream.add(EntryId.of(answer.entryId()));
          }
        }
        tally("webhook", in.kind(), "HTTP " + status);
        if (in.mustPass()) {
          upstreamMustPass.add(id);
        }
      }

      // 2. intake.submit, as a host's own ingestor would.
      String sid = "s-" + i;
      Input sin = garbage.next(i, sid);
      try {
        IntakeReceipt receipt =
            pipeline
                .intake("orders")
                .submit(
                    new RawMessage(
                        Payload.of(sin.body(), sin.contentType()), Map.of(), "submit-" + sid));
        upstreamEntries.put(receipt.entryId(), sin.kind());
        if (sin.mustBeRejected(true)) {
          rejectUpstream.add(receipt.entryId());
        }
        tally("submit", sin.kind(), "stored");
        if (sin.mustPass()) {
          upstreamMustPass.add(sid);
        }
      } catch (PostOfficeException | IllegalArgumentException e) {
        assertThat(sin.mustPass()).as("%s refused: %s", sin.kind(), e).isFalse();
        assertThat(e.getMessage()).isNotBlank();
        tally("submit", sin.kind(), e.getClass().getSimpleName());
      }

      // 3. The Core App's queue, consumed by the downstream route.
      String did = "c-" + i;
      Input din = garbage.next(i, did);
      coreRabbit
          .publish(
              Flows.SHIPMENTS_QUEUE,
              new OutboundMessage("core-" + did, Map.of(), din.body(), din.contentType()))
          .get(30, TimeUnit.SECONDS);
      downstreamSent.put("core-" + did, din.kind());
      if (din.mustPass()) {
        downstreamMustPass.add("REF-" + did);
      }
    }

    // Every stored upstream input ends Acknowledged (good) or Rejected with a reason (bad).
    Await.until(
        PATIENCE,
        "every stored partner message is finished",
        () ->
            store
                    .query(
                        new EntryQuery(
                            null,
                            null,
                            EnumSet.of(Status.JUST_IN, Status.RETRYING, Status.QUEUED),
                            null,
                            10,
                            false))
                    .isEmpty()
                && handled.containsAll(upstreamMustPass)
                && dispatched.containsAll(downstreamMustPass),
        () ->
            NetworkFaultIT.stats(store)
                + "; handled "
                + handled.size()
                + "/"
                + upstreamMustPass.size()
                + ", dispatched "
                + dispatched.size()
                + "/"
                + downstreamMustPass.size());
    for (Map.Entry<EntryId, Kind> e : upstreamEntries.entrySet()) {
      Entry raw = store.find(e.getKey()).orElseThrow();
      String answer = finalAnswer(store, raw);
      if (rejectUpstream.contains(e.getKey())) {
        assertThat(raw.status())
            .as("%s stored as %s", e.getValue(), raw.id())
            .isEqualTo(Status.REJECTED);
      }
      if (raw.status() == Status.REJECTED) {
        assertThat(reasonOf(store, raw)).as("reason recorded on %s", e.getValue()).isNotBlank();
        noLastError += raw.lastError() == null ? 1 : 0;
      }
      tally("stored upstream", e.getValue(), answer);
    }
    for (Entry raw :
        store.query(
            new EntryQuery(
                dev.postoffice.model.RouteId.of("shipments"),
                dev.postoffice.model.Layer.L4,
                Set.of(),
                null,
                PER_CHANNEL * 2,
                false))) {
      // An oversized message is recorded without its body and without its dedup key (see
      // OversizeRecorder).
      Kind kind =
          raw.dedupKey() == null ? Kind.OVER_ROUTE_LIMIT : downstreamSent.get(raw.dedupKey());
      if (kind != Kind.OVER_ROUTE_LIMIT && garbage.mustBeRejected(kind)) {
        assertThat(raw.status()).as("%s consumed as %s", kind, raw.id()).isEqualTo(Status.REJECTED);
      }
      if (raw.status() == Status.REJECTED) {
        assertThat(reasonOf(store, raw)).as("reason recorded on %s", kind).isNotBlank();
        noLastError += raw.lastError() == null ? 1 : 0;
      }
      tally(
          "core queue",
          kind,
          raw.status() == Status.REJECTED
              ? "REJECTED: " + reason(reasonOf(store, raw))
              : raw.status().name());
      downstreamSent.remove(raw.dedupKey());
    }
    Await.until(
        Duration.ofSeconds(30),
        "every core message not stored is dead-lettered",
        () -> deadLetters.keySet().containsAll(downstreamSent.keySet()),
        () -> downstreamSent.keySet() + " vs " + deadLetters.keySet());
    for (Map.Entry<String, Kind> e : downstreamSent.entrySet()) {
      assertThat(deadLetters.get(e.getKey()))
          .as("dead-letter reason")
          .isNotBlank()
          .isNotEqualTo("null");
      tally("core queue", e.getValue(), "dead-lettered: " + reason(deadLetters.get(e.getKey())));
    }
    assertThat(handled).containsAll(upstreamMustPass);
    assertThat(dispatched).containsAll(downstreamMustPass);
    assertThat(store.countByStatus().stream().filter(c -> c.status() == Status.FAILED))
        .as("failed entries")
        .isEmpty();

    long heapAfter = usedHeapAfterGc();
    long growthMb = (heapAfter - heapBefore) >> 20;
    StringBuilder table = new StringBuilder();
    answers.forEach((k, v) -> table.append("\n  ").append(k).append(" -> ").append(v));
    Figures.record(
        "bad input",
        "inputsPerChannel="
            + PER_CHANNEL
            + " webhookResetsInsteadOf413="
            + resets
            + " rejectedWithoutLastError="
            + noLastError
            + " heapBeforeMb="
            + (heapBefore >> 20)
            + " heapAfterMb="
            + (heapAfter >> 20)
            + " answers:"
            + table);
    assertThat(growthMb).as("heap growth after GC, MB").isLessThan(96);
  }

  /**
   * An HTTP answer: status (-1 if the connection was reset before it arrived), body, stored entry
   * id.
   */
  record Answer(int status, String body, String entryId) {}

  static Answer post(
      HttpClient http, URI uri, Input in, String delivery, HttpRequest.BodyPublisher body)
      throws InterruptedException {
    HttpResponse<java.io.InputStream> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(30))
                  .header("Content-Type", in.contentType())
                  .header("Delivery-Id", delivery)
                  .POST(body)
                  .build(),
              HttpResponse.BodyHandlers.ofInputStream());
    } catch (java.io.IOException e) {
      return new Answer(-1, e.toString(), null);
    }
    String text;
    try (java.io.InputStream stream = response.body()) {
      text = new String(stream.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      text = "(body lost: " + e.getMessage() + ")";
    }
    return new Answer(
        response.statusCode(),
        text,
        response.headers().firstValue(WebhookResponse.ENTRY_ID_HEADER).orElse(null));
  }

  private static String finalAnswer(JdbcStatusStore store, Entry raw) {
    if (raw.status() == Status.REJECTED) {
      return "REJECTED: " + reason(reasonOf(store, raw));
    }
    if (raw.status() == Status.DUPLICATE) {
      return "DUPLICATE";
    }
    return raw.status().name() + " (L1)";
  }

  /**
   * The entry's last error, or else the detail of its last history row (where a transition keeps
   * its reason).
   */
  private static String reasonOf(JdbcStatusStore store, Entry raw) {
    if (raw.lastError() != null && !raw.lastError().isBlank()) {
      return raw.lastError();
    }
    List<dev.postoffice.model.HistoryRecord> history = store.history(raw.id());
    return history.isEmpty() ? null : history.get(history.size() - 1).detail();
  }

  /** The reason's first words, to group answers. */
  private static String reason(String text) {
    if (text == null) {
      return "(none)";
    }
    String cut = text.replaceAll("[0-9]+", "N");
    return cut.length() > 60 ? cut.substring(0, 60) + "…" : cut;
  }

  /**
   * The id without the control characters and emoji an edge-case input appends (they must pass
   * unharmed).
   */
  private static String plain(String id) {
    int cut = id.indexOf('\u0000');
    return cut < 0 ? id : id.substring(0, cut);
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Await.pause(Duration.ofMillis(100));
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  static String summary(Map<String, Map<String, Integer>> answers) {
    return answers.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("; "));
  }
}
