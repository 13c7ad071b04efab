package dev.postoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.Status;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The console's security rules")
class SecurityTest {
  Shop shop;
  Console console;
  String rejectedId;

  @BeforeEach
  void start() {
    shop = Shop.manual();
    shop.renamed("o-1");
    shop.drain();
    rejectedId =
        shop.pipeline.operations().failed(Shop.ORDERS, 10).stream()
            .filter(e -> e.status() == Status.REJECTED)
            .findFirst()
            .orElseThrow()
            .id()
            .toString();
    console = Console.of(shop);
  }

  @AfterEach
  void stop() {
    console.close();
    shop.close();
  }

  @Nested
  @DisplayName("The builder")
  class Builder {
    @Test
    @DisplayName("refuses a console that is not explicitly enabled, or has no authenticator")
    void offUnlessEnabled() {
      assertThatThrownBy(() -> AdminHandler.builder(shop.pipeline.operations()).build())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("enabled must be true")
          .hasMessageContaining("authenticator cannot be null");
      assertThatThrownBy(
              () ->
                  AdminHandler.builder(shop.pipeline.operations())
                      .authenticator(r -> Optional.empty())
                      .build())
          .hasMessageContaining("enabled(true)");
    }

    @Test
    @DisplayName("refuses short tokens without quoting them, and tokens given twice")
    void tokens() {
      assertThatThrownBy(() -> BearerTokens.builder().operator("a", "short-secret"))
          .hasMessage("token of a must have at least 16 characters, but has 12");
      assertThatThrownBy(
              () ->
                  BearerTokens.builder()
                      .operator("a", Shop.OPERATOR_TOKEN)
                      .viewer("b", Shop.OPERATOR_TOKEN))
          .hasMessageNotContaining(Shop.OPERATOR_TOKEN)
          .hasMessageContaining("already given");
      assertThat(BearerTokens.builder().viewer("v", Shop.VIEWER_TOKEN).build().toString())
          .doesNotContain(Shop.VIEWER_TOKEN);
    }
  }

  @Nested
  @DisplayName("Authentication")
  class Authentication {
    @Test
    @DisplayName("answers 401 with a Bearer challenge to every API endpoint without a token")
    void noToken() {
      for (String path :
          new String[] {
            "me", "routes", "entries", "entries/count", "entries/" + rejectedId, "health", "replays"
          }) {
        Console.Reply r = console.get(path, null);
        assertThat(r.status()).as(path).isEqualTo(401);
        assertThat(r.raw().headers().firstValue("WWW-Authenticate"))
            .contains("Bearer realm=\"postoffice\"");
      }
      assertThat(
              console
                  .post("entries/" + rejectedId + "/replay", null, "{\"reason\":\"x\"}")
                  .status())
          .isEqualTo(401);
    }

    @Test
    @DisplayName("answers 401 to a wrong token, and says so without echoing it")
    void wrongToken() {
      Console.Reply r = console.get("routes", "not-the-token-at-all-0000");
      assertThat(r.status()).isEqualTo(401);
      assertThat(r.text("error")).isEqualTo("the credential is not valid");
      assertThat(r.raw().body()).doesNotContain("not-the-token");
    }

    @Test
    @DisplayName("tells the page who is signed in, never the token")
    void me() {
      Console.Reply r = console.get("me", Shop.VIEWER_TOKEN);
      assertThat(r.status()).isEqualTo(200);
      assertThat(r.text("name")).isEqualTo("victor");
      assertThat(r.text("role")).isEqualTo("VIEWER");
      assertThat(r.raw().body()).doesNotContain(Shop.VIEWER_TOKEN);
    }

    @Test
    @DisplayName("treats an authenticator that throws as a refusal")
    void throwingAuthenticator() {
      try (Console c =
          new Console(
              AdminHandler.builder(shop.pipeline.operations())
                  .enabled(true)
                  .authenticator(
                      r -> {
                        throw new IllegalStateException("SSO down");
                      })
                  .build())) {
        assertThat(c.get("routes", "anything").status()).isEqualTo(401);
      }
    }
  }

  @Nested
  @DisplayName("Roles")
  class Roles {
    @Test
    @DisplayName(
        "let a viewer read but answer 403 when a viewer replays, pauses or starts a bulk replay")
    void viewerCannotChange() {
      assertThat(console.get("entries/" + rejectedId, Shop.VIEWER_TOKEN).status()).isEqualTo(200);
      Console.Reply replay =
          console.post(
              "entries/" + rejectedId + "/replay", Shop.VIEWER_TOKEN, "{\"reason\":\"x\"}");
      assertThat(replay.status()).isEqualTo(403);
      assertThat(replay.text("error")).contains("victor is a viewer");
      assertThat(console.post("routes/acme-orders/pause", Shop.VIEWER_TOKEN, "{}").status())
          .isEqualTo(403);
      assertThat(
              console
                  .post(
                      "replays",
                      Shop.VIEWER_TOKEN,
                      "{\"route\":\"acme-orders\",\"status\":\"REJECTED\",\"reason\":\"x\"}")
                  .status())
          .isEqualTo(403);
      assertThat(
              shop.store.find(dev.postoffice.model.EntryId.of(rejectedId)).orElseThrow().status())
          .isEqualTo(Status.REJECTED);
    }
  }

  @Nested
  @DisplayName("Changes")
  class Changes {
    String replay = "{\"reason\":\"fixed\"}";

    @Test
    @DisplayName("are refused from another site's page (Origin), with 403")
    void crossSiteOrigin() {
      Console.Reply r =
          console.post(
              "entries/" + rejectedId + "/replay",
              Shop.OPERATOR_TOKEN,
              replay,
              Map.of("Origin", "https://evil.example"));
      assertThat(r.status()).isEqualTo(403);
      assertThat(r.text("error")).contains("cross-site request refused");
      assertThat(
              shop.store.find(dev.postoffice.model.EntryId.of(rejectedId)).orElseThrow().status())
          .isEqualTo(Status.REJECTED);
    }

    @Test
    @DisplayName("are refused when the browser says the request is cross-site (Sec-Fetch-Site)")
    void crossSiteFetchMetadata() {
      assertThat(
              console
                  .post(
                      "routes/acme-orders/pause",
                      Shop.OPERATOR_TOKEN,
                      "{}",
                      Map.of("Sec-Fetch-Site", "cross-site"))
                  .status())
          .isEqualTo(403);
      assertThat(
              console
                  .post(
                      "routes/acme-orders/pause",
                      Shop.OPERATOR_TOKEN,
                      "{}",
                      Map.of("Sec-Fetch-Site", "same-site", "Origin", "https://other.example.com"))
                  .status())
          .isEqualTo(403);
      assertThat(shop.pipeline.operations().pausedRoutes()).isEmpty();
    }

    @Test
    @DisplayName("are taken from the console's own origin, and from an allowed one")
    void sameOrigin() {
      String own = "http://127.0.0.1:" + console.server.port();
      assertThat(
              console
                  .post(
                      "routes/acme-orders/pause",
                      Shop.OPERATOR_TOKEN,
                      "{}",
                      Map.of("Origin", own, "Sec-Fetch-Site", "same-origin"))
                  .status())
          .isEqualTo(200);
      try (Console allowing =
          new Console(Console.handler(shop).allowedOrigins("https://ops.example.com").build())) {
        assertThat(
                allowing
                    .post(
                        "routes/acme-orders/resume",
                        Shop.OPERATOR_TOKEN,
                        "{}",
                        Map.of("Origin", "https://ops.example.com", "Sec-Fetch-Site", "cross-site"))
                    .status())
            .isEqualTo(200);
      }
    }

    @Test
    @DisplayName("must be JSON: a form post is answered 415, a body that is not an object 400")
    void jsonOnly() {
      Console.Reply form =
          console.post(
              "entries/" + rejectedId + "/replay",
              Shop.OPERATOR_TOKEN,
              "reason=fixed",
              Map.of("Content-Type", "application/x-www-form-urlencoded"));
      assertThat(form.status()).isEqualTo(415);
      assertThat(form.text("error")).contains("Content-Type: application/json");
      assertThat(
              console
                  .post("entries/" + rejectedId + "/replay", Shop.OPERATOR_TOKEN, "[1]")
                  .status())
          .isEqualTo(400);
      assertThat(
              console
                  .post("entries/" + rejectedId + "/replay", Shop.OPERATOR_TOKEN, "{oops")
                  .status())
          .isEqualTo(400);
    }

    @Test
    @DisplayName("are POSTs only: other methods are answered 405")
    void postOnly() {
      java.net.http.HttpRequest delete =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(console.base() + "api/entries/" + rejectedId))
              .DELETE()
              .header("Authorization", "Bearer " + Shop.OPERATOR_TOKEN)
              .build();
      assertThat(console.send(delete).status()).isEqualTo(405);
    }
  }

  @Nested
  @DisplayName("Answers")
  class Answers {
    @Test
    @DisplayName("mask stored headers that carry credentials, and forbid caching and framing")
    void noSecrets() {
      String l1 =
          shop.pipeline
              .operations()
              .lineage(dev.postoffice.model.EntryId.of(rejectedId))
              .root()
              .id()
              .toString();
      Console.Reply r = console.get("entries/" + l1, Shop.VIEWER_TOKEN);
      assertThat(r.json().path("entry").path("headers").path("X-Acme-Signature").asText())
          .isEqualTo("***");
      assertThat(r.raw().body()).doesNotContain("sha256=secret");
      assertThat(r.raw().headers().firstValue("Cache-Control")).contains("no-store");
      assertThat(r.raw().headers().firstValue("X-Frame-Options")).contains("DENY");
      assertThat(r.raw().headers().firstValue("Content-Security-Policy").orElseThrow())
          .contains("frame-ancestors 'none'");
    }

    @Test
    @DisplayName("pass payloads through the host's redactor")
    void redactor() {
      try (Console redacting =
          new Console(
              Console.handler(shop)
                  .redactor(
                      (entry, payload) ->
                          dev.postoffice.model.Payload.ofUtf8(
                              payload.asUtf8().replaceAll("\"qty\":\\d+", "\"qty\":\"***\""),
                              payload.contentType()))
                  .build())) {
        Console.Reply r = redacting.get("entries/" + rejectedId, Shop.VIEWER_TOKEN);
        assertThat(r.json().path("payload").path("text").asText()).contains("\"qty\":\"***\"");
        assertThat(r.json().path("payload").path("redacted").asBoolean()).isTrue();
      }
    }
  }
}
