package dev.postoffice.core.issues;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.ConfigurationException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.intake.WebhookHandler;
import dev.postoffice.core.intake.WebhookRequest;
import dev.postoffice.core.intake.WebhookResponse;
import dev.postoffice.core.intake.WebhookRoute;
import dev.postoffice.core.intake.WebhookSignature;
import dev.postoffice.core.internal.route.Entries;
import dev.postoffice.core.internal.stage.IntakeFilter;
import dev.postoffice.core.support.Harness;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.NewEntry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Issue 20: webhook fixes a new user asked for, and a pipeline without routes. */
@DisplayName("Issue 20")
class Issue20Test {
  static final String ORDER =
      "{\"orderId\":\"A-1\",\"customer\":\"C-1\",\"lines\":[{\"sku\":\"S-1\",\"quantity\":1}]}";
  static final String SECRET = "whsec_test_secret";

  private final Harness h = new Harness();
  private Pipeline pipeline;
  private WebhookHandler handler;

  @AfterEach
  void tearDown() {
    if (pipeline != null) {
      pipeline.close();
    }
    h.close();
  }

  private void start(WebhookRoute route) {
    handler = WebhookHandler.builder().route(route).clock(h.clock).build();
    pipeline =
        h.pipeline("node-a")
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .ingestor(Harness.ORDERS, handler.ingestor(Harness.ORDERS))
            .build()
            .start();
  }

  private WebhookResponse post(String body, Map<String, String> headers) {
    Map<String, String> all = new HashMap<>(headers);
    all.put("Content-Type", "application/json");
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    return handler.handle(
        WebhookRequest.of(
            "POST",
            "/webhooks/" + Harness.ORDERS,
            all,
            new ByteArrayInputStream(bytes),
            bytes.length));
  }

  private void drain() {
    while (pipeline.runOnce() > 0) {
      // until idle
    }
  }

  private List<Status> history(String entryId) {
    return h.store.history(EntryId.of(entryId)).stream().map(HistoryRecord::to).toList();
  }

  static String stripeV1(String secret, long t, String body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8)));
  }

  static WebhookRequest stripeRequest(String header) {
    return WebhookRequest.of(
        "POST",
        "/webhooks/x",
        Map.of("Stripe-Signature", header),
        new ByteArrayInputStream(new byte[0]),
        0);
  }

  @Nested
  @DisplayName("the Stripe-style signature")
  class Stripe {
    final Instant now = Instant.parse("2026-01-01T00:00:00Z");
    final long t = now.getEpochSecond();
    final WebhookSignature stripe = WebhookSignature.stripe(List.of(SECRET));

    @Test
    @DisplayName("accepts t and a v1 HMAC-SHA256 of t.body, among other v1 and v0 values")
    void accepts() throws Exception {
      String header =
          "t=" + t + ",v1=" + "00".repeat(32) + ",v1=" + stripeV1(SECRET, t, ORDER) + ",v0=ab";
      assertThat(stripe.check(stripeRequest(header), utf8(ORDER), now)).isEmpty();
    }

    @Test
    @DisplayName("accepts any of several secrets, while one is rolled")
    void rotation() throws Exception {
      String header = "t=" + t + ",v1=" + stripeV1(SECRET, t, ORDER);
      assertThat(
              WebhookSignature.stripe(List.of("whsec_new", SECRET))
                  .check(stripeRequest(header), utf8(ORDER), now))
          .isEmpty();
    }

    @Test
    @DisplayName("refuses a tampered body, a wrong secret, a missing or malformed header")
    void refuses() throws Exception {
      String header = "t=" + t + ",v1=" + stripeV1(SECRET, t, ORDER);
      assertThat(stripe.check(stripeRequest(header), utf8(ORDER + " "), now))
          .get()
          .asString()
          .contains("matches any of the 1 secrets");
      assertThat(
              WebhookSignature.stripe(List.of("whsec_other"))
                  .check(stripeRequest(header), utf8(ORDER), now))
          .isPresent();
      assertThat(
              stripe.check(
                  WebhookRequest.of(
                      "POST", "/x", Map.of(), new ByteArrayInputStream(new byte[0]), 0),
                  utf8(ORDER),
                  now))
          .get()
          .asString()
          .contains("missing Stripe-Signature header");
      assertThat(stripe.check(stripeRequest("v1=abc"), utf8(ORDER), now))
          .get()
          .asString()
          .contains("malformed");
    }

    @Test
    @DisplayName("refuses a timestamp outside the tolerance of the handler's clock, both ways")
    void tolerance() throws Exception {
      WebhookSignature strict = WebhookSignature.stripe(List.of(SECRET), Duration.ofMinutes(5));
      String header = "t=" + t + ",v1=" + stripeV1(SECRET, t, ORDER);
      assertThat(strict.check(stripeRequest(header), utf8(ORDER), now.plusSeconds(300))).isEmpty();
      assertThat(strict.check(stripeRequest(header), utf8(ORDER), now.plusSeconds(301)))
          .get()
          .asString()
          .contains("outside the tolerance of 300 s");
      assertThat(strict.check(stripeRequest(header), utf8(ORDER), now.minusSeconds(301)))
          .isPresent();
    }

    @Test
    @DisplayName("guards a webhook route end to end")
    void endToEnd() throws Exception {
      start(WebhookRoute.builder(Harness.ORDERS).signature(stripe).build());
      long at = h.clock.instant().getEpochSecond();

      WebhookResponse good =
          post(ORDER, Map.of("Stripe-Signature", "t=" + at + ",v1=" + stripeV1(SECRET, at, ORDER)));
      WebhookResponse old =
          post(
              ORDER,
              Map.of(
                  "Stripe-Signature",
                  "t=" + (at - 600) + ",v1=" + stripeV1(SECRET, at - 600, ORDER)));

      assertThat(good.status()).isEqualTo(202);
      assertThat(old.status()).isEqualTo(401);
    }
  }

  @Nested
  @DisplayName("a 401")
  class Unauthorized {
    @Test
    @DisplayName("tells the caller nothing of the secrets or the scheme")
    void bareBody() {
      start(
          WebhookRoute.builder(Harness.ORDERS)
              .signature(WebhookSignature.github(List.of("one", "two")))
              .build());

      WebhookResponse refused =
          post(ORDER, Map.of("X-Hub-Signature-256", "sha256=" + "0".repeat(64)));

      assertThat(refused.status()).isEqualTo(401);
      assertThat(refused.body())
          .contains("signature refused")
          .doesNotContain("secret")
          .doesNotContain("match")
          .doesNotContain("X-Hub");
      assertThat(h.store.backlog(RouteId.of(Harness.ORDERS))).isZero();
    }
  }

  @Nested
  @DisplayName("an event-type filter")
  class EventFilter {
    @Test
    @DisplayName("answers 200 to an event type the route does not take and records it Filtered")
    void filtered() {
      start(WebhookRoute.builder(Harness.ORDERS).acceptEvents("X-GitHub-Event", "push").build());

      WebhookResponse ping =
          post("{\"zen\":\"Keep it simple.\"}", Map.of("X-GitHub-Event", "ping"));
      drain();

      assertThat(ping.status()).isEqualTo(200);
      assertThat(ping.body()).contains("\"filtered\"").contains("ping");
      String id = ping.headers().get(WebhookResponse.ENTRY_ID_HEADER);
      Entry entry = h.store.find(EntryId.of(id)).orElseThrow();
      assertThat(entry.status()).isEqualTo(Status.FILTERED);
      assertThat(entry.layer()).isEqualTo(Layer.L1);
      assertThat(entry.headers()).containsEntry("X-GitHub-Event", "ping");
      assertThat(history(id)).containsExactly(Status.JUST_IN, Status.FILTERED);
      assertThat(h.store.history(EntryId.of(id)).get(1).detail())
          .contains("X-GitHub-Event: ping is not one of [push]");
      assertThat(h.store.findBySource(EntryId.of(id))).isEmpty();
    }

    @Test
    @DisplayName(
        "works on a filtered event an operator replays (the filter left out a type it should take)")
    void replayedIsWorkedOn() {
      start(WebhookRoute.builder(Harness.ORDERS).acceptEvents("X-GitHub-Event", "push").build());
      WebhookResponse left = post(ORDER, Map.of("X-GitHub-Event", "issues"));
      drain();
      EntryId id = EntryId.of(left.headers().get(WebhookResponse.ENTRY_ID_HEADER));
      assertThat(h.store.find(id).orElseThrow().status()).isEqualTo(Status.FILTERED);

      h.store.replay(id, "issues events are wanted after all", h.clock.instant());
      drain();

      assertThat(h.store.find(id).orElseThrow().status()).isEqualTo(Status.PROCESSED);
      assertThat(h.store.findBySource(id)).isNotEmpty();
    }

    @Test
    @DisplayName("processes the event types it takes, and filters a request without the header")
    void accepted() {
      start(WebhookRoute.builder(Harness.ORDERS).acceptEvents("X-GitHub-Event", "push").build());

      WebhookResponse push = post(ORDER, Map.of("X-GitHub-Event", "push"));
      WebhookResponse none = post(ORDER, Map.of());
      drain();

      assertThat(push.status()).isEqualTo(202);
      assertThat(history(push.headers().get(WebhookResponse.ENTRY_ID_HEADER)))
          .containsExactly(Status.JUST_IN, Status.PROCESSED);
      assertThat(none.status()).isEqualTo(200);
      assertThat(history(none.headers().get(WebhookResponse.ENTRY_ID_HEADER)))
          .containsExactly(Status.JUST_IN, Status.FILTERED);
    }

    @Test
    @DisplayName("checks the signature first: an unsigned ping is refused, not recorded")
    void signatureFirst() {
      start(
          WebhookRoute.builder(Harness.ORDERS)
              .signature(WebhookSignature.github(List.of("s")))
              .acceptEvents("X-GitHub-Event", "push")
              .build());

      assertThat(post("{}", Map.of("X-GitHub-Event", "ping")).status()).isEqualTo(401);
    }

    @Test
    @DisplayName(
        "leaves no work behind if the Filtered mark was lost: the stage filters the entry after"
            + " its lease")
    void lostMark() {
      start(WebhookRoute.builder(Harness.ORDERS).build());
      EntryId id = EntryId.random();
      h.store.intake(
          List.of(
              new NewEntry(
                  id,
                  RouteId.of(Harness.ORDERS),
                  Direction.UPSTREAM,
                  Layer.L1,
                  Payload.json("{}"),
                  Map.of(IntakeFilter.HEADER_FILTERED_REASON, "event type ping not taken"),
                  null,
                  TraceId.random(),
                  null,
                  Entries.PRODUCED_BY_INTAKE,
                  null)),
          h.clock.instant());

      drain();

      assertThat(history(id.value())).containsExactly(Status.JUST_IN, Status.FILTERED);
    }
  }

  @Test
  @DisplayName("a pipeline without routes fails to build, saying what to add")
  void noRoutes() {
    assertThatThrownBy(() -> PostOffice.builder().store(h.store).transport(h.transport).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("routes must hold at least 1 route, but none was added");
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
