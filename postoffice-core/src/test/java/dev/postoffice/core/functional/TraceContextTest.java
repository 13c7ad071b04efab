package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postoffice.PartnerRequest;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.Route;
import dev.postoffice.core.dispatch.HttpDispatcher;
import dev.postoffice.core.dispatch.PartnerStub;
import dev.postoffice.core.dispatch.PartnerStub.Reply;
import dev.postoffice.core.intake.WebhookHandler;
import dev.postoffice.core.intake.WebhookRoute;
import dev.postoffice.core.intake.WebhookServer;
import dev.postoffice.core.internal.TraceHeaders;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.AcmeShipment;
import dev.postoffice.core.support.Models.LineOrdered;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.coreapp.CoreMessageContext;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.model.TraceParent;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.Transport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Issue 17: a W3C trace context travels from a partner's webhook to the Core App's handler, and
 * from the Core App to a partner's HTTP endpoint.
 */
@DisplayName("W3C trace context end to end")
class TraceContextTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT_SPAN = "00f067aa0ba902b7";
  static final String TRACEPARENT = "00-" + TRACE + "-" + PARENT_SPAN + "-01";
  static final String TRACESTATE = "rojo=00f067aa0ba902b7,congo=t61rcWkgMzE";

  /** What the Core App's handler saw: the MDC's trace id while it ran, and its context. */
  record CoreSaw(String mdcTraceId, CoreMessageContext context) {}

  private final Harness h = new Harness();
  private final List<CoreSaw> coreSaw = new CopyOnWriteArrayList<>();
  private final List<CompletableFuture<Void>> sent = new CopyOnWriteArrayList<>();
  private Pipeline pipeline;
  private WebhookServer server;
  private PartnerStub partner;
  private CoreAppReceiver<LineOrdered> receiver;

  @BeforeEach
  void start() {
    partner = PartnerStub.start(r -> Reply.of(201, "ok"));
    Route shipments =
        Route.downstream(Harness.SHIPMENTS)
            .consumeFrom(Harness.SHIPMENTS_QUEUE, ShipOrder.class)
            .translate(
                AcmeShipment.class,
                s -> List.of(new AcmeShipment("ACME-" + s.orderId(), s.address())))
            .normalize(
                s ->
                    new PartnerRequest(
                        "POST", partner.uri("/shipments"), Map.of(), h.codec.encode(s)))
            .dispatchWith(HttpDispatcher.ofDefaults())
            .settings(h.settings())
            .build();
    WebhookHandler webhooks =
        WebhookHandler.builder()
            .route(WebhookRoute.builder(Harness.ORDERS).build())
            .clock(h.clock)
            .build();
    pipeline =
        h.pipeline("node-a")
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .route(shipments)
            .ingestor(Harness.ORDERS, webhooks.ingestor(Harness.ORDERS))
            .build()
            .start();
    CoreAppSender sender = CoreAppSender.create(h.transport, h.codec);
    receiver =
        CoreAppReceiver.builder(h.transport, h.receipts, LineOrdered.class)
            .from(Harness.ORDERS_QUEUE)
            .clock(h.clock)
            .handler(
                (line, ctx) -> {
                  coreSaw.add(new CoreSaw(MDC.get("traceId"), ctx));
                  // No trace header given: the sender takes the current trace from the MDC.
                  sent.add(
                      sender.send(
                          Harness.SHIPMENTS_QUEUE,
                          "ship-" + ctx.messageId(),
                          new ShipOrder(line.orderId(), "1 Main St")));
                })
            .build()
            .start();
    server =
        WebhookServer.builder(webhooks).host("127.0.0.1").port(0).stopGrace(Duration.ZERO).start();
  }

  @AfterEach
  void stop() {
    server.close();
    receiver.close();
    pipeline.close();
    partner.close();
    h.close();
  }

  @Test
  @DisplayName(
      "a webhook's traceparent names the trace, reaches the Core App's handler (MDC and context)"
          + " and the partner's request, with a new span id at each hop")
  void webhookToCoreAppToPartner() throws Exception {
    // The tracestate comes as two header lines: one list, as the spec says.
    JsonNode answer =
        post(
            List.of(
                Map.entry("traceparent", TRACEPARENT),
                Map.entry("tracestate", "rojo=00f067aa0ba902b7"),
                Map.entry("tracestate", "congo=t61rcWkgMzE")));
    assertThat(answer.get("traceId").asText()).isEqualTo(TRACE);
    Entry raw = h.store.find(EntryId.of(answer.get("entryId").asText())).orElseThrow();
    assertThat(raw.traceId()).isEqualTo(TraceId.of(TRACE));
    assertThat(raw.headers())
        .containsEntry("traceparent", TRACEPARENT)
        .containsEntry("tracestate", TRACESTATE);

    drain();

    // One trace from the partner's request to the other partner's: upstream and downstream entries.
    List<Entry> trace = h.store.findByTrace(TraceId.of(TRACE));
    assertThat(trace)
        .filteredOn(e -> e.route().value().equals(Harness.ORDERS) && e.layer() == Layer.L4)
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.ACKNOWLEDGED));
    assertThat(trace)
        .filteredOn(e -> e.route().value().equals(Harness.SHIPMENTS) && e.layer() == Layer.L1)
        .hasSize(2);
    assertThat(coreSaw)
        .hasSize(2)
        .allSatisfy(
            saw -> {
              assertThat(saw.mdcTraceId()).isEqualTo(TRACE);
              assertThat(saw.context().traceId()).isEqualTo(TRACE); // postoffice-trace-id kept
              TraceParent received =
                  TraceParent.parse(saw.context().traceparent().orElseThrow()).orElseThrow();
              assertThat(received.traceId()).isEqualTo(TRACE);
              assertThat(received.parentId()).isNotEqualTo(PARENT_SPAN);
              assertThat(received.isSampled()).isTrue();
              assertThat(saw.context().tracestate()).contains(TRACESTATE);
            });
    List<String> coreSpans = coreSaw.stream().map(s -> span(s.context().traceparent())).toList();
    assertThat(coreSpans).doesNotHaveDuplicates();

    assertThat(shipmentEntries())
        .hasSize(2)
        .allSatisfy(
            e -> {
              assertThat(e.traceId()).isEqualTo(TraceId.of(TRACE));
              assertThat(e.status()).isEqualTo(Status.DISPATCHED);
            });
    assertThat(partner.seen)
        .hasSize(2)
        .allSatisfy(
            seen -> {
              TraceParent p = TraceParent.parse(seen.headers().get("traceparent")).orElseThrow();
              assertThat(p.traceId()).isEqualTo(TRACE);
              assertThat(p.parentId()).isNotEqualTo(PARENT_SPAN).isNotIn(coreSpans);
            });
  }

  @Test
  @DisplayName(
      "an invalid traceparent is ignored with a DEBUG line: the message is stored with a trace id"
          + " of its own, which the Core App and the partner see")
  void invalidIsIgnored() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger(TraceHeaders.class);
    ListAppender<ILoggingEvent> lines = new ListAppender<>();
    lines.start();
    Level level = logger.getLevel();
    logger.setLevel(Level.DEBUG);
    logger.addAppender(lines);
    String zeros = "00-00000000000000000000000000000000-" + PARENT_SPAN + "-01";
    JsonNode answer;
    try {
      answer = post(Map.of("traceparent", zeros, "tracestate", TRACESTATE));
    } finally {
      logger.detachAppender(lines);
      logger.setLevel(level);
    }

    String own = answer.get("traceId").asText();
    assertThat(own).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(lines.list)
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.getLevel()).isEqualTo(Level.DEBUG);
              assertThat(line.getFormattedMessage()).contains("invalid traceparent", zeros);
            });
    drain();
    assertThat(coreSaw)
        .hasSize(2)
        .allSatisfy(
            saw -> {
              assertThat(saw.mdcTraceId()).isEqualTo(own);
              assertThat(saw.context().traceparent().orElseThrow()).contains("-" + own + "-");
              assertThat(saw.context().tracestate()).isEmpty(); // it belonged to the invalid one
            });
    assertThat(partner.seen)
        .hasSize(2)
        .allSatisfy(
            seen -> assertThat(seen.headers().get("traceparent")).startsWith("00-" + own + "-"));
  }

  @Test
  @DisplayName("a message without a traceparent gets a new trace id of 32 lowercase hex characters")
  void newTraceIds() throws Exception {
    String own = post(Map.of()).get("traceId").asText();
    assertThat(own).matches("[0-9a-f]{32}");
    drain();
    assertThat(coreSaw)
        .allSatisfy(
            saw ->
                assertThat(saw.context().traceparent().orElseThrow())
                    .matches("00-" + own + "-[0-9a-f]{16}-01"));
    assertThat(shipmentEntries()).allSatisfy(e -> assertThat(e.traceId().value()).isEqualTo(own));
  }

  @Test
  @DisplayName(
      "a Core App message with an older 36-character trace id keeps it, and the partner gets it"
          + " without dashes")
  void olderTraceIds() throws Exception {
    String old = "0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f00";
    CoreAppSender.create(h.transport, h.codec)
        .send(
            Harness.SHIPMENTS_QUEUE,
            "ship-old",
            new ShipOrder("o-1", "1 Main St"),
            Map.of(Transport.HEADER_TRACE_ID, old))
        .get();
    drain();
    assertThat(shipmentEntries())
        .singleElement()
        .extracting(Entry::traceId)
        .isEqualTo(TraceId.of(old));
    assertThat(partner.seen.get(0).headers().get("traceparent"))
        .matches("00-0190a4f27c3e7a118e2f5b6c7d8e9f00-[0-9a-f]{16}-01");
  }

  @Test
  @DisplayName(
      "downstream, a valid traceparent names the trace; the PostOffice header keeps its spelling"
          + " when it names the same trace")
  void downstreamHeaders() throws Exception {
    String old = "0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f00";
    CoreAppSender sender = CoreAppSender.create(h.transport, h.codec);
    sender
        .send(
            Harness.SHIPMENTS_QUEUE,
            "ship-same",
            new ShipOrder("o-1", "1 Main St"),
            Map.of(
                Transport.HEADER_TRACE_ID,
                old,
                "traceparent",
                "00-0190a4f27c3e7a118e2f5b6c7d8e9f00-" + PARENT_SPAN + "-01"))
        .get();
    sender
        .send(
            Harness.SHIPMENTS_QUEUE,
            "ship-other",
            new ShipOrder("o-2", "1 Main St"),
            Map.of(Transport.HEADER_TRACE_ID, old, "traceparent", TRACEPARENT))
        .get();
    drain();
    assertThat(shipmentEntries())
        .extracting(e -> e.traceId().value())
        .containsExactlyInAnyOrder(old, TRACE);
  }

  private JsonNode post(Map<String, String> headers) throws Exception {
    return post(List.copyOf(headers.entrySet()));
  }

  private JsonNode post(List<Map.Entry<String, String>> headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + "/webhooks/acme-orders"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(Models.orderJson("o-1", 2)));
    headers.forEach(h -> request.header(h.getKey(), h.getValue()));
    HttpResponse<String> answer =
        HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(202);
    return new ObjectMapper().readTree(answer.body());
  }

  /** Runs both routes until idle, with the Core App's sends (made in its handler) in between. */
  private void drain() throws Exception {
    Drain.untilIdle(pipeline, h.transport);
    for (CompletableFuture<Void> f : sent) {
      f.get();
    }
    Drain.untilIdle(pipeline, h.transport);
  }

  private List<Entry> shipmentEntries() {
    return h.store.query(
        new EntryQuery(RouteId.of(Harness.SHIPMENTS), Layer.L1, null, null, 10, true));
  }

  private static String span(java.util.Optional<String> traceparent) {
    return TraceParent.parse(traceparent.orElseThrow()).orElseThrow().parentId();
  }
}
