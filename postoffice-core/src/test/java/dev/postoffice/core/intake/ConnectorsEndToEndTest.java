package dev.postoffice.core.intake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postoffice.PartnerRequest;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.dispatch.AuthProvider;
import dev.postoffice.core.dispatch.HttpDispatcher;
import dev.postoffice.core.dispatch.PartnerStub;
import dev.postoffice.core.dispatch.PartnerStub.Reply;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.AcmeShipment;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Connectors end to end")
class ConnectorsEndToEndTest {
  static final String TOKEN = "tok-E2E-SECRET";

  private final Harness h = new Harness();
  private Pipeline pipeline;
  private WebhookServer server;
  private PartnerStub partner;

  @AfterEach
  void tearDown() {
    if (server != null) {
      server.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (partner != null) {
      partner.close();
    }
    h.close();
  }

  private RouteSettings settings() {
    return h.settings().toBuilder()
        .retry(
            RetrySettings.ofDefaults()
                .withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5))
                .withJitter(0))
        .build();
  }

  @Test
  @DisplayName(
      "a webhook POST travels to Acknowledged; a shipment reaches the loopback partner after 500, then 429")
  void webhookToCoreAndCoreToPartner() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    partner =
        PartnerStub.start(
            r ->
                switch (calls.incrementAndGet()) {
                  case 1 -> Reply.of(500, "oops");
                  case 2 -> new Reply(429, Map.of("Retry-After", "120"), "slow down");
                  default -> Reply.of(201, "{\"shipment\":\"s-1\"}");
                });
    HttpDispatcher acme = HttpDispatcher.builder().auth(AuthProvider.bearer(() -> TOKEN)).build();
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
            .dispatchWith(acme)
            .settings(settings())
            .build();
    WebhookHandler webhooks =
        WebhookHandler.builder()
            .route(WebhookRoute.builder(Harness.ORDERS).dedupJsonField("orderId").build())
            .clock(h.clock)
            .build();
    pipeline =
        h.pipeline("node-a")
            .route(h.ordersRoute(Harness::perLine, settings()))
            .route(shipments)
            .ingestor(Harness.ORDERS, webhooks.ingestor(Harness.ORDERS))
            .build()
            .start();
    h.startReceiver();
    server =
        WebhookServer.builder(webhooks).host("127.0.0.1").port(0).stopGrace(Duration.ZERO).start();

    // Upstream: partner -> webhook -> ... -> Core App, acknowledged.
    HttpResponse<String> answer =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/webhooks/acme-orders"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(Models.orderJson("o-1", 2)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(202);
    EntryId raw = EntryId.of(new ObjectMapper().readTree(answer.body()).get("entryId").asText());
    Drain.untilIdle(pipeline, h.transport);
    List<Entry> trace = h.store.findByTrace(h.store.find(raw).orElseThrow().traceId());
    assertThat(trace)
        .filteredOn(e -> e.layer() == Layer.L4)
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.ACKNOWLEDGED));
    assertThat(h.coreSaw).hasSize(2);

    // Downstream: Core App -> ... -> partner over HTTP: 500, then 429 with Retry-After, then 201.
    CoreAppSender.create(h.transport, h.codec)
        .send(Harness.SHIPMENTS_QUEUE, "ship-1", new ShipOrder("o-1", "1 Main St"))
        .get();
    Drain.untilIdle(pipeline, h.transport);
    Entry l1 = dispatchEntry();
    assertThat(l1.status()).isEqualTo(Status.RETRYING);
    assertThat(l1.nextAttemptAt()).isEqualTo(h.clock.instant().plusSeconds(1));

    h.clock.advance(Duration.ofSeconds(1));
    Drain.untilIdle(pipeline, h.transport);
    l1 = dispatchEntry();
    assertThat(l1.status()).isEqualTo(Status.RETRYING);
    assertThat(l1.nextAttemptAt()).isEqualTo(h.clock.instant().plusSeconds(120));
    h.clock.advance(Duration.ofSeconds(119));
    Drain.untilIdle(pipeline, h.transport);
    assertThat(calls.get()).isEqualTo(2); // not before Retry-After

    h.clock.advance(Duration.ofSeconds(1));
    Drain.untilIdle(pipeline, h.transport);
    l1 = dispatchEntry();
    assertThat(l1.status()).isEqualTo(Status.DISPATCHED);
    assertThat(partner.seen)
        .hasSize(3)
        .allSatisfy(
            seen -> {
              assertThat(seen.headers()).containsEntry("authorization", "Bearer " + TOKEN);
              assertThat(seen.headers())
                  .containsEntry("idempotency-key", dispatchEntry().id().value());
            });
    List<HistoryRecord> history = h.store.history(l1.id());
    assertThat(history)
        .last()
        .extracting(HistoryRecord::detail)
        .asString()
        .contains("201")
        .contains("s-1");
    assertThat(history)
        .extracting(HistoryRecord::detail)
        .noneMatch(d -> d != null && d.contains(TOKEN));
    assertThat(l1.headers().toString() + l1.payload().asUtf8() + l1.lastError())
        .doesNotContain(TOKEN);
  }

  private Entry dispatchEntry() {
    List<Entry> l1 =
        h.store.query(
            new EntryQuery(RouteId.of(Harness.SHIPMENTS), Layer.L1, null, null, 10, true));
    assertThat(l1).hasSize(1);
    return l1.get(0);
  }
}
