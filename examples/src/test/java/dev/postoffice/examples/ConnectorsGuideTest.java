package dev.postoffice.examples;

import static dev.postoffice.testkit.junit.PostOfficeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postoffice.PartnerRequest;
import dev.postoffice.RawMessage;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.dispatch.AuthProvider;
import dev.postoffice.core.dispatch.HttpDispatcher;
import dev.postoffice.core.intake.FileDropIngestor;
import dev.postoffice.core.intake.Page;
import dev.postoffice.core.intake.PageFetcher;
import dev.postoffice.core.intake.PollingIngestor;
import dev.postoffice.core.intake.WebhookHandler;
import dev.postoffice.core.intake.WebhookRequest;
import dev.postoffice.core.intake.WebhookResponse;
import dev.postoffice.core.intake.WebhookRoute;
import dev.postoffice.core.intake.WebhookServer;
import dev.postoffice.core.intake.WebhookSignature;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.examples.model.AcmeShipment;
import dev.postoffice.examples.model.ShipOrder;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.testkit.junit.PostOfficeTest;
import dev.postoffice.testkit.junit.TestPostOffice;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The code docs/connectors.md quotes, run. */
@PostOfficeTest
@DisplayName("The connectors guide's code")
class ConnectorsGuideTest {
  static final String ORDER =
      "{\"orderId\":\"A-1\",\"customer\":\"C-1\",\"lines\":[{\"sku\":\"S-1\",\"quantity\":1}]}";
  static final String SECRET = "It's a Secret to Everybody";

  private final JacksonCodec codec = JacksonCodec.create();

  record BillingEvent(String type) {}

  static String hmacHex(String secret, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
  }

  static WebhookRequest post(String path, String body, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return WebhookRequest.of("POST", path, all, new ByteArrayInputStream(bytes), bytes.length);
  }

  @Test
  @DisplayName("a webhook server with two routes stores a signed delivery and answers 202")
  void webhookServer() throws Exception {
    String newSecret = SECRET;
    String oldSecret = "the secret before the rotation";
    InMemoryStatusStore store = InMemoryStatusStore.create();
    InMemoryTransport transport = InMemoryTransport.create();
    Route ordersRoute = AcmeRoutes.orders(codec, RouteSettings.ofDefaults());
    Route billingRoute =
        Route.upstream("billing-events")
            .normalize(BillingEvent.class, raw -> codec.decode(raw.payload(), BillingEvent.class))
            .translate(BillingEvent.class, (BillingEvent event) -> List.of(event))
            .publishTo("core.billing")
            .build();
    // tag::webhookServer[]
    WebhookHandler webhooks =
        WebhookHandler.builder()
            .route(
                WebhookRoute.builder("acme-orders")
                    .signature(WebhookSignature.github(List.of(newSecret, oldSecret))) // rotation
                    .dedupHeader("X-GitHub-Delivery")
                    .keepHeaders("X-GitHub-Event")
                    .build())
            .route(
                WebhookRoute.builder("billing-events")
                    .signature(
                        WebhookSignature.standardWebhooks(
                            List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")))
                    .dedupHeader("webhook-id")
                    .build())
            .build();

    Pipeline pipeline =
        PostOffice.builder()
            .store(store)
            .transport(transport)
            .route(ordersRoute)
            .route(billingRoute)
            .ingestor("acme-orders", webhooks.ingestor("acme-orders"))
            .ingestor("billing-events", webhooks.ingestor("billing-events"))
            .build()
            .start();

    WebhookServer server = WebhookServer.builder(webhooks).port(0).start(); // default port 8080
    // partners POST to http://host:<server.port()>/webhooks/acme-orders
    // end::webhookServer[]
    try (pipeline;
        server;
        transport) {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/webhooks/acme-orders"))
                      .header("Content-Type", "application/json")
                      .header("X-GitHub-Delivery", "d-1")
                      .header("X-Hub-Signature-256", "sha256=" + hmacHex(oldSecret, ORDER))
                      .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(store.find(EntryId.of(answer.headers().firstValue("PostOffice-Entry-Id").get())))
          .isPresent();
    }
  }

  @Nested
  @DisplayName("signatures")
  class Signatures {
    @Test
    @DisplayName("a scheme of one's own accepts Acme's signature and refuses a stale one with 401")
    void custom(TestPostOffice po) throws Exception {
      // tag::customSignatureRoute[]
      WebhookHandler webhooks =
          WebhookHandler.builder()
              .route(
                  WebhookRoute.builder("acme-orders")
                      .signature(new AcmeSignature(SECRET, Duration.ofMinutes(5)))
                      .build())
              .clock(po.clock()) // the `now` the signature gets
              .build();
      // end::customSignatureRoute[]
      po.configure(b -> b.ingestor("acme-orders", webhooks.ingestor("acme-orders")));
      po.start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));
      String now = Long.toString(po.clock().instant().getEpochSecond());

      WebhookResponse good =
          webhooks.handle(
              post(
                  "/webhooks/acme-orders",
                  ORDER,
                  Map.of(
                      "X-Acme-Timestamp",
                      now,
                      "X-Acme-Signature",
                      hmacHex(SECRET, now + ":" + ORDER))));
      po.clock().advance(Duration.ofMinutes(6));
      WebhookResponse stale =
          webhooks.handle(
              post(
                  "/webhooks/acme-orders",
                  ORDER,
                  Map.of(
                      "X-Acme-Timestamp",
                      now,
                      "X-Acme-Signature",
                      hmacHex(SECRET, now + ":" + ORDER))));
      WebhookResponse forged =
          webhooks.handle(
              post(
                  "/webhooks/acme-orders",
                  ORDER,
                  Map.of("X-Acme-Timestamp", now, "X-Acme-Signature", "00")));

      assertThat(good.status()).isEqualTo(202);
      assertThat(stale.status()).isEqualTo(401);
      assertThat(forged.status()).isEqualTo(401);
      assertThat(stale.body()).doesNotContain("tolerance"); // the caller learns nothing
      assertThat(po).route("acme-orders").layer(Layer.L1).hasSize(1);
    }

    @Test
    @DisplayName("Stripe's scheme accepts a delivery signed as Stripe signs")
    void stripe(TestPostOffice po) throws Exception {
      String endpointSecret = "whsec_test";
      // tag::stripe[]
      WebhookRoute payments =
          WebhookRoute.builder("acme-orders")
              .signature(WebhookSignature.stripe(List.of(endpointSecret))) // tolerance 5 min
              .dedupJsonField("id") // Stripe's event id
              .build();
      // end::stripe[]
      WebhookHandler webhooks = WebhookHandler.builder().route(payments).clock(po.clock()).build();
      po.configure(b -> b.ingestor("acme-orders", webhooks.ingestor("acme-orders")));
      po.start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));
      long t = po.clock().instant().getEpochSecond();
      String body =
          "{\"id\":\"evt_1\",\"orderId\":\"A-1\",\"customer\":\"C-1\","
              + "\"lines\":[{\"sku\":\"S-1\",\"quantity\":1}]}";

      WebhookResponse answer =
          webhooks.handle(
              post(
                  "/webhooks/acme-orders",
                  body,
                  Map.of(
                      "Stripe-Signature",
                      "t=" + t + ",v1=" + hmacHex(endpointSecret, t + "." + body))));

      assertThat(answer.status()).isEqualTo(202);
    }
  }

  @Test
  @DisplayName("an event-type filter records GitHub's ping as Filtered and answers 200")
  void eventFilter(TestPostOffice po) throws Exception {
    // tag::eventFilter[]
    WebhookRoute pushes =
        WebhookRoute.builder("acme-orders")
            .signature(WebhookSignature.github(List.of(SECRET)))
            .dedupHeader("X-GitHub-Delivery")
            .acceptEvents("X-GitHub-Event", "push") // others: 200, recorded Filtered
            .build();
    // end::eventFilter[]
    WebhookHandler webhooks = WebhookHandler.builder().route(pushes).build();
    po.configure(b -> b.ingestor("acme-orders", webhooks.ingestor("acme-orders")));
    po.start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));
    String ping = "{\"zen\":\"Design for failure.\"}";

    WebhookResponse answer =
        webhooks.handle(
            post(
                "/webhooks/acme-orders",
                ping,
                Map.of(
                    "X-GitHub-Event", "ping",
                    "X-GitHub-Delivery", "d-ping",
                    "X-Hub-Signature-256", "sha256=" + hmacHex(SECRET, ping))));
    po.drain();

    assertThat(answer.status()).isEqualTo(200);
    assertThat(po)
        .route("acme-orders")
        .layer(Layer.L1)
        .hasStatus(Status.FILTERED)
        .haveHistory(Status.JUST_IN, Status.FILTERED);
  }

  @Test
  @DisplayName("an adapter for another web framework answers as WebhookServer does")
  void otherFramework(TestPostOffice po) throws Exception {
    WebhookHandler webhooks =
        WebhookHandler.builder().route(WebhookRoute.builder("acme-orders").build()).build();
    po.configure(b -> b.ingestor("acme-orders", webhooks.ingestor("acme-orders")));
    po.start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext("/webhooks/", exchange -> adapt(webhooks, exchange));
    http.start();
    try {
      HttpResponse<String> answer =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + http.getAddress().getPort()
                                  + "/webhooks/acme-orders"))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(ORDER))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(202);
      assertThat(answer.body()).contains("\"entryId\"");
    } finally {
      http.stop(0);
    }
  }

  // tag::otherFrameworks[]
  // Any framework (Spring MVC, Javalin, a Servlet...): adapt the request, copy the response back.
  // Here the framework is the JDK's own HttpServer.
  static void adapt(WebhookHandler webhooks, HttpExchange exchange) throws IOException {
    WebhookResponse answer =
        webhooks.handle(
            new WebhookRequest(
                exchange.getRequestMethod(),
                exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders(), // a Map<String, List<String>>, any case
                exchange.getRequestBody(),
                contentLength(exchange.getRequestHeaders().getFirst("Content-Length"))));
    answer.headers().forEach(exchange.getResponseHeaders()::set);
    byte[] body = answer.bodyBytes();
    exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  // end::otherFrameworks[]

  static long contentLength(String header) {
    return header == null ? -1 : Long.parseLong(header.trim());
  }

  /** A partner API client, as a host has one: pages of orders after a cursor. */
  record AcmeApi(List<String> orders) {
    record Item(String id, String json) {}

    record OrdersPage(List<Item> items, String nextCursor, boolean hasMore) {}

    OrdersPage orders(String after, int limit) {
      int from = Integer.parseInt(after);
      int to = Math.min(orders.size(), from + limit);
      List<Item> items = new java.util.ArrayList<>();
      for (int i = from; i < to; i++) {
        items.add(new Item("order-" + i, orders.get(i)));
      }
      return new OrdersPage(items, Integer.toString(to), to < orders.size());
    }
  }

  @Test
  @DisplayName("a polling ingestor stores every page of the partner's API, each record once")
  void polling(TestPostOffice po) {
    AcmeApi acme =
        new AcmeApi(
            List.of(
                AcmeTraffic.orderJson("A-1", 1),
                AcmeTraffic.orderJson("A-2", 1),
                AcmeTraffic.orderJson("A-3", 2)));
    // tag::polling[]
    PageFetcher acmeOrders =
        cursor -> {
          AcmeApi.OrdersPage page = acme.orders(cursor == null ? "0" : cursor, 2); // its client
          List<RawMessage> records =
              page.items().stream()
                  .map(item -> RawMessage.json(item.json(), item.id())) // dedup key: Acme's id
                  .toList();
          return new Page(records, page.nextCursor(), page.hasMore());
        };
    PollingIngestor poller =
        PollingIngestor.builder(acmeOrders)
            .interval(Duration.ofMinutes(1))
            .manualPolling() // tests only: no schedule, pollOnce() polls
            .build();
    po.configure(builder -> builder.ingestor("acme-orders", poller));
    // end::polling[]
    po.start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));

    poller.pollOnce();
    poller.pollOnce(); // nothing new: the cursor was stored with the last page
    po.drain();

    assertThat(po).route("acme-orders").layer(Layer.L1).hasSize(3).hasStatus(Status.PROCESSED);
  }

  @Test
  @DisplayName("a file drop ingestor takes a settled file, one entry per line")
  void fileDrop(TestPostOffice po, @TempDir Path inbox) throws Exception {
    // tag::fileDrop[]
    FileDropIngestor invoices =
        FileDropIngestor.builder(inbox) // such as Path.of("/data/inbox/acme")
            .settleTime(Duration.ofSeconds(5))
            .clock(po.clock()) // default Clock.systemUTC()
            .manualScanning() // tests only: no watcher thread, scanOnce() scans
            .build();
    po.configure(builder -> builder.ingestor("acme-orders", invoices));
    // end::fileDrop[]
    po.start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));
    Files.writeString(
        inbox.resolve("orders.jsonl"),
        AcmeTraffic.orderJson("A-1", 1) + "\n" + AcmeTraffic.orderJson("A-2", 1) + "\n");

    invoices.scanOnce(); // seen, not settled yet
    po.clock().advance(Duration.ofSeconds(6));
    invoices.scanOnce();
    po.drain();

    assertThat(po).route("acme-orders").layer(Layer.L1).hasSize(2).hasStatus(Status.PROCESSED);
  }

  @Test
  @DisplayName("an HTTP dispatcher is a downstream route's last stage")
  void httpDispatcher(TestPostOffice po) {
    Map<String, String> tokens = Map.of("acme", "token-1");
    // tag::httpDispatcher[]
    HttpDispatcher acme =
        HttpDispatcher.builder()
            .auth(AuthProvider.bearer(() -> tokens.get("acme"))) // read on every request
            .requestTimeout(Duration.ofSeconds(10))
            .maxConcurrentRequests(4)
            .requestsPerSecond(20)
            .build();

    Route shipments =
        Route.downstream("shipments-to-acme")
            .consumeFrom("core.shipments", ShipOrder.class)
            .translate(
                AcmeShipment.class,
                (ShipOrder ship) ->
                    List.of(
                        new AcmeShipment(
                            "SHP-" + ship.shipmentId(),
                            ship.partnerOrderId(),
                            ship.street() + ", " + ship.city(),
                            ship.parcels())))
            .normalize(
                (AcmeShipment s) ->
                    new PartnerRequest(
                        "POST",
                        URI.create("https://api.acme.example/shipments"),
                        Map.of("X-Api-Version", "3"),
                        codec.encode(s)))
            .dispatchWith(acme)
            .build();
    // end::httpDispatcher[]

    assertThat(po.start(shipments).routes()).hasSize(1);
  }
}
