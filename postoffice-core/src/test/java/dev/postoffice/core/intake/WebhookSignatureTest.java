package dev.postoffice.core.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Webhook signatures")
class WebhookSignatureTest {
  static WebhookRequest request(Map<String, String> headers) {
    return WebhookRequest.of(
        "POST", "/webhooks/x", headers, new ByteArrayInputStream(new byte[0]), 0);
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Nested
  @DisplayName("GitHub X-Hub-Signature-256")
  class GitHub {
    // GitHub's documented example ("Validating webhook deliveries").
    static final String SECRET = "It's a Secret to Everybody";
    static final String SIGNATURE =
        "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    final WebhookRequest signed = request(Map.of("X-Hub-Signature-256", SIGNATURE));

    @Test
    @DisplayName("accepts GitHub's documented test vector")
    void vector() {
      assertThat(
              WebhookSignature.github(List.of(SECRET))
                  .check(signed, utf8("Hello, World!"), Instant.now()))
          .isEmpty();
    }

    @Test
    @DisplayName("refuses a tampered body, a wrong secret, a missing or malformed header")
    void refusals() {
      WebhookSignature github = WebhookSignature.github(List.of(SECRET));
      assertThat(github.check(signed, utf8("Hello, World?"), Instant.now())).isPresent();
      assertThat(
              WebhookSignature.github(List.of("wrong"))
                  .check(signed, utf8("Hello, World!"), Instant.now()))
          .get()
          .asString()
          .contains("matches none of the 1 secrets");
      assertThat(github.check(request(Map.of()), utf8("Hello, World!"), Instant.now()))
          .get()
          .asString()
          .contains("missing signature header");
      assertThat(
              github.check(
                  request(Map.of("X-Hub-Signature-256", "757107ea")), utf8("x"), Instant.now()))
          .get()
          .asString()
          .contains("malformed");
    }

    @Test
    @DisplayName("accepts any of several secrets (rotation)")
    void rotation() {
      assertThat(
              WebhookSignature.github(List.of("new-secret", SECRET))
                  .check(signed, utf8("Hello, World!"), Instant.now()))
          .isEmpty();
    }

    @Test
    @DisplayName("accepts Shopify's Base64 form")
    void shopify() {
      String base64 =
          java.util.Base64.getEncoder()
              .encodeToString(java.util.HexFormat.of().parseHex(SIGNATURE.substring(7)));
      assertThat(
              WebhookSignature.shopify(List.of(SECRET))
                  .check(
                      request(Map.of("X-Shopify-Hmac-Sha256", base64)),
                      utf8("Hello, World!"),
                      Instant.now()))
          .isEmpty();
    }
  }

  @Nested
  @DisplayName("Standard Webhooks")
  class Standard {
    // The reference vector of the Standard Webhooks libraries.
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String BODY = "{\"test\": 2432232314}";
    static final Instant SENT = Instant.ofEpochSecond(1614265330);
    final WebhookRequest signed =
        request(
            Map.of(
                "webhook-id",
                "msg_p5jXN8AQM9LWM0D4loKWxJek",
                "webhook-timestamp",
                "1614265330",
                "webhook-signature",
                "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    final WebhookSignature scheme = WebhookSignature.standardWebhooks(List.of(SECRET));

    @Test
    @DisplayName("accepts the reference vector within the tolerance")
    void vector() {
      assertThat(scheme.check(signed, utf8(BODY), SENT)).isEmpty();
      assertThat(scheme.check(signed, utf8(BODY), SENT.plus(Duration.ofMinutes(5)))).isEmpty();
    }

    @Test
    @DisplayName("refuses a tampered body, a stale or future timestamp and a wrong secret")
    void refusals() {
      assertThat(scheme.check(signed, utf8("{\"test\": 2432232315}"), SENT)).isPresent();
      assertThat(scheme.check(signed, utf8(BODY), SENT.plus(Duration.ofMinutes(5).plusSeconds(1))))
          .get()
          .asString()
          .contains("outside the tolerance");
      assertThat(scheme.check(signed, utf8(BODY), SENT.minus(Duration.ofMinutes(6)))).isPresent();
      assertThat(
              WebhookSignature.standardWebhooks(List.of("whsec_" + "QUJD"))
                  .check(signed, utf8(BODY), SENT))
          .isPresent();
    }

    @Test
    @DisplayName("accepts one matching signature among several, and a rotated secret")
    void several() {
      WebhookRequest two =
          request(
              Map.of(
                  "webhook-id",
                  "msg_p5jXN8AQM9LWM0D4loKWxJek",
                  "webhook-timestamp",
                  "1614265330",
                  "webhook-signature",
                  "v1,Zm9v v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
      assertThat(
              WebhookSignature.standardWebhooks(List.of("whsec_QUJD", SECRET))
                  .check(two, utf8(BODY), SENT))
          .isEmpty();
    }

    @Test
    @DisplayName("refuses secrets without whsec_ and never shows them")
    void secretsHidden() {
      assertThatThrownBy(() -> WebhookSignature.standardWebhooks(List.of("plain-secret")))
          .hasMessageNotContaining("plain-secret");
      assertThat(scheme.toString()).doesNotContain("MfKQ9r8");
      assertThat(WebhookSignature.github(List.of("s3cr3t")).toString()).doesNotContain("s3cr3t");
    }
  }
}
