package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.dispatch.AuthProvider;
import dev.postoffice.core.dispatch.HttpDispatcher;
import dev.postoffice.core.intake.WebhookHandler;
import dev.postoffice.core.intake.WebhookRoute;
import dev.postoffice.core.intake.WebhookServer;
import dev.postoffice.core.intake.WebhookSignature;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.spi.EntryQuery;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Secrets stay secret at DEBUG: a RabbitMQ password (on a connection the broker refuses, and in the
 * settings' toString), a PostgreSQL password in the pool's configuration, a partner bearer token on
 * requests the partner answers 500 then 201, or 401, and GitHub and Standard Webhooks signature
 * secrets on good and forged webhooks. No secret may appear in any log line (message, arguments,
 * stack traces) nor in any stored error, header or history detail.
 */
@DisplayName("Secrets never reach logs or the store, even at DEBUG")
class SecretsIT {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String RABBIT_PASSWORD = "rabbitPw" + hex(8);
  private static final String PG_PASSWORD = "pgPw" + hex(8);
  private static final String TOKEN = "tok" + hex(12);
  private static final String GITHUB_SECRET = "ghSecret" + hex(10);
  private static final byte[] STANDARD_KEY = bytes(24);
  private static final String STANDARD_SECRET =
      "whsec_" + Base64.getEncoder().encodeToString(STANDARD_KEY);
  private static final List<String> SECRETS =
      List.of(
          RABBIT_PASSWORD,
          PG_PASSWORD,
          TOKEN,
          GITHUB_SECRET,
          STANDARD_SECRET,
          STANDARD_SECRET.substring("whsec_".length()));

  private static HikariDataSource db;
  private static String tables;
  private static String queues;

  @BeforeAll
  static void setUp() {
    Services.assumeReachable();
    tables = Services.tablePrefix("sec");
    queues = Services.queuePrefix("sec");
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (db != null) {
      Services.dropTables(db, tables);
      db.close();
      Services.deleteQueues(queues, List.of("core.flaky", "core.denied", "core.gh", "core.std"));
    }
  }

  @Test
  @DisplayName(
      "no credential or signature secret appears in any log line or stored error, header or history")
  void secretsStaySecret() throws Exception {
    List<String> lines;
    List<String> stored = new ArrayList<>();
    Map<String, AtomicInteger> partnerAuth = new ConcurrentHashMap<>();
    List<Integer> webhookAnswers = new ArrayList<>();
    String refusedRabbit;
    try (LogCapture logs = new LogCapture()) {
      HikariConfig config = new HikariConfig();
      config.setJdbcUrl(Services.jdbcUrl(Services.POSTGRES_PORT));
      config.setUsername("postgres");
      config.setPassword(
          PG_PASSWORD); // trust authentication ignores it; the pool still logs its configuration
      config.setMaximumPoolSize(4);
      config.setPoolName("secrets");
      db = new HikariDataSource(config);
      JdbcStatusStore store = JdbcStatusStore.builder(db).tablePrefix(tables).build();
      store.migrate();

      refusedRabbit =
          CompletableFuture.supplyAsync(
                  () -> {
                    try (RabbitTransport t =
                        RabbitTransport.create(
                            Services.rabbit(queues, Services.RABBIT_PORT, "sec-refused")
                                .username("reliability-nobody")
                                .password(RABBIT_PASSWORD)
                                .build())) {
                      return "connected?! " + t.settings();
                    } catch (RuntimeException e) {
                      return chain(e);
                    }
                  })
              .get(60, TimeUnit.SECONDS);
      String settingsText =
          Services.rabbit(queues, Services.RABBIT_PORT, "x")
              .password(RABBIT_PASSWORD)
              .build()
              .toString();
      stored.add(refusedRabbit);
      stored.add(settingsText);

      HttpServer partner = partner(partnerAuth);
      URI base = URI.create("http://" + Services.HOST + ":" + partner.getAddress().getPort() + "/");
      HttpDispatcher dispatcher =
          HttpDispatcher.builder()
              .auth(AuthProvider.bearer(() -> TOKEN))
              .requestTimeout(Duration.ofSeconds(5))
              .build();
      RouteSettings settings =
          RouteSettings.builder()
              .pollInterval(Duration.ofMillis(50))
              .retry(
                  RetrySettings.ofDefaults()
                      .withMaxAttempts(3)
                      .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200)))
              .build();
      WebhookHandler webhooks =
          WebhookHandler.builder()
              .route(
                  WebhookRoute.builder("gh-orders")
                      .signature(WebhookSignature.github(List.of(GITHUB_SECRET)))
                      .keepHeaders("X-Hub-Signature-256")
                      .build())
              .route(
                  WebhookRoute.builder("std-orders")
                      .signature(WebhookSignature.standardWebhooks(List.of(STANDARD_SECRET)))
                      .build())
              .build();
      try (RabbitTransport rabbit =
              RabbitTransport.create(Services.rabbit(queues, Services.RABBIT_PORT, "sec").build());
          Pipeline pipeline =
              PostOffice.builder()
                  .store(store)
                  .transport(rabbit)
                  .route(
                      Flows.shipments(
                          "flaky", "core.flaky", base.resolve("flaky/"), settings, dispatcher))
                  .route(
                      Flows.shipments(
                          "denied", "core.denied", base.resolve("denied/"), settings, dispatcher))
                  .route(Flows.orders("gh-orders", "core.gh", settings))
                  .route(Flows.orders("std-orders", "core.std", settings))
                  .ingestor("gh-orders", webhooks.ingestor("gh-orders"))
                  .ingestor("std-orders", webhooks.ingestor("std-orders"))
                  .build()
                  .start();
          WebhookServer server =
              WebhookServer.builder(webhooks).host(Services.HOST).port(0).start()) {
        CoreAppSender sender = CoreAppSender.create(rabbit);
        for (int i = 0; i < 5; i++) {
          sender.send("core.flaky", "flaky-" + i, new Flows.ShipOrder("f" + i, "1 Main St")).join();
          sender
              .send("core.denied", "denied-" + i, new Flows.ShipOrder("d" + i, "1 Main St"))
              .join();
        }
        HttpClient http = HttpClient.newHttpClient();
        URI hooks = URI.create("http://" + Services.HOST + ":" + server.port() + "/webhooks/");
        for (int i = 0; i < 5; i++) {
          String body = Flows.orderJson("g" + i, 1);
          webhookAnswers.add(
              post(
                  http,
                  hooks.resolve("gh-orders"),
                  body,
                  Map.of(
                      "X-Hub-Signature-256",
                      "sha256="
                          + HexFormat.of()
                              .formatHex(
                                  hmac(GITHUB_SECRET.getBytes(StandardCharsets.UTF_8), body)))));
          webhookAnswers.add(
              post(
                  http,
                  hooks.resolve("gh-orders"),
                  body,
                  Map.of(
                      "X-Hub-Signature-256",
                      "sha256=" + HexFormat.of().formatHex(hmac(bytes(16), body)))));
          String id = "msg_" + i;
          String ts = Long.toString(Instant.now().getEpochSecond());
          String signature =
              "v1,"
                  + Base64.getEncoder()
                      .encodeToString(hmac(STANDARD_KEY, id + "." + ts + "." + body));
          webhookAnswers.add(
              post(
                  http,
                  hooks.resolve("std-orders"),
                  body,
                  Map.of(
                      "webhook-id", id, "webhook-timestamp", ts, "webhook-signature", signature)));
          webhookAnswers.add(
              post(
                  http,
                  hooks.resolve("std-orders"),
                  body,
                  Map.of(
                      "webhook-id",
                      id,
                      "webhook-timestamp",
                      ts,
                      "webhook-signature",
                      "v1,AAAA" + signature)));
        }
        Await.until(
            Duration.ofSeconds(60),
            "flaky dispatched and denied failed",
            () ->
                NetworkFaultIT.count(store, "flaky", Layer.L1, Status.DISPATCHED) == 5
                    && NetworkFaultIT.count(store, "denied", Layer.L1, Status.FAILED) == 5,
            () -> NetworkFaultIT.stats(store));
      } finally {
        partner.stop(0);
      }
      for (Entry e : store.query(new EntryQuery(null, null, Set.of(), null, 10_000, false))) {
        stored.add(e.id() + " lastError=" + e.lastError() + " headers=" + e.headers());
        for (HistoryRecord h : store.history(e.id())) {
          stored.add(e.id() + " history " + h.detail());
        }
      }
      lines = logs.lines();
    }

    assertThat(partnerAuth)
        .as("the partner got the bearer token (else this test proves nothing)")
        .containsKey("Bearer " + TOKEN);
    assertThat(webhookAnswers).as("good webhooks accepted, forged ones refused").contains(202, 401);
    assertThat(refusedRabbit)
        .as("the broker refused the unknown user")
        .doesNotStartWith("connected");
    assertThat(lines).as("log lines captured at DEBUG").hasSizeGreaterThan(50);
    for (String secret : SECRETS) {
      assertThat(lines).as("log lines").noneMatch(line -> line.contains(secret));
      assertThat(stored)
          .as("stored errors, headers, history; transport errors")
          .noneMatch(s -> s.contains(secret));
    }
    Figures.record(
        "secrets",
        "logLines="
            + lines.size()
            + " storedTexts="
            + stored.size()
            + " secretsChecked="
            + SECRETS.size()
            + " webhookAnswers="
            + webhookAnswers
            + " leaks=0");
  }

  private static HttpServer partner(Map<String, AtomicInteger> auth) throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(Services.HOST, 0), 50);
    Set<String> seen = ConcurrentHashMap.newKeySet();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String header = exchange.getRequestHeaders().getFirst("Authorization");
            auth.computeIfAbsent(String.valueOf(header), k -> new AtomicInteger())
                .incrementAndGet();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            int status;
            String body;
            if (exchange.getRequestURI().getPath().startsWith("/denied")) {
              status = 401;
              body = "{\"error\":\"invalid_token\"}";
            } else if (seen.add(key)) {
              status = 500;
              body = "{\"error\":\"busy\"}";
            } else {
              status = 201;
              body = "{\"accepted\":true}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
          }
        });
    server.start();
    return server;
  }

  private static int post(HttpClient http, URI uri, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static byte[] hmac(byte[] key, String text) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String chain(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" <- ");
    }
    return b.toString();
  }

  private static String hex(int n) {
    return HexFormat.of().formatHex(bytes(n));
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
