package dev.postoffice.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.operator.Operations;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.testkit.ForwardingStatusStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The handler without any server, as a servlet or Spring adapter calls it. */
@DisplayName("AdminHandler, called directly")
class AdminHandlerTest {
  static final Map<String, String> AUTH = Map.of("Authorization", "Bearer " + Shop.OPERATOR_TOKEN);

  final AtomicBoolean storeDown = new AtomicBoolean();
  final Operations operations =
      Operations.create(
          new ForwardingStatusStore(InMemoryStatusStore.create()) {
            @Override
            public List<StatusCount> countByStatus() {
              if (storeDown.get()) {
                throw new StoreUnavailableException("database unreachable", null);
              }
              return super.countByStatus();
            }
          },
          Clock.systemUTC());

  AdminHandler.Builder builder() {
    return AdminHandler.builder(operations)
        .enabled(true)
        .authenticator(BearerTokens.builder().operator("olivia", Shop.OPERATOR_TOKEN).build());
  }

  static AdminRequest get(String path, Map<String, String> headers) {
    return AdminRequest.of("GET", path, headers, null);
  }

  static AdminRequest post(String path, Map<String, String> headers, String body) {
    return AdminRequest.of("POST", path, headers, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("redirects the bare prefix to the page, and answers 404 outside its prefix")
  void prefix() {
    AdminHandler h = builder().build();
    AdminResponse bare = h.handle(get("/postoffice", Map.of()));
    assertThat(bare.status()).isEqualTo(302);
    assertThat(bare.headers()).containsEntry("Location", "/postoffice/");
    assertThat(h.handle(get("/other/api/me", AUTH)).status()).isEqualTo(404);
    assertThat(h.handle(get("/postoffice/api/nothing-here", AUTH)).bodyText())
        .contains("no such endpoint: /nothing-here");
  }

  @Test
  @DisplayName(
      "answers a path with a malformed %-escape 401 without a token and 400 with one, never 500")
  void malformedEscape() {
    AdminHandler h = builder().build();
    assertThat(h.handle(get("/postoffice/api/entries/%zz", Map.of())).status()).isEqualTo(401);
    AdminResponse r = h.handle(get("/postoffice/api/entries/%zz", AUTH));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.bodyText()).contains("malformed %-escape");
  }

  @Test
  @DisplayName("mounts under any prefix, the root included, and checks it")
  void mount() {
    AdminHandler root = builder().pathPrefix("").build();
    assertThat(root.handle(get("/api/me", AUTH)).status()).isEqualTo(200);
    assertThat(root.handle(get("/", Map.of())).bodyText()).contains("PostOffice console");
    AdminHandler deep = builder().pathPrefix("/ops/post-office").build();
    assertThat(deep.handle(get("/ops/post-office/api/me?x=1", AUTH)).status()).isEqualTo(200);
    assertThatThrownBy(() -> builder().pathPrefix("/ops/"))
        .hasMessage(
            "pathPrefix must be empty or like /ops/postoffice (no trailing slash), but was '/ops/'");
  }

  @Test
  @DisplayName("refuses an opaque Origin, and accepts the proxy's forwarded host as its own")
  void origins() {
    AdminHandler h = builder().build();
    String body = "{}";
    assertThat(
            h.handle(
                    post(
                        "/postoffice/api/routes/r/pause",
                        Map.of(
                            "Authorization", "Bearer " + Shop.OPERATOR_TOKEN,
                            "Content-Type", "application/json",
                            "Origin", "null",
                            "Host", "ops.example.com"),
                        body))
                .status())
        .isEqualTo(403);
    assertThat(
            h.handle(
                    post(
                        "/postoffice/api/routes/r/pause",
                        Map.of(
                            "Authorization", "Bearer " + Shop.OPERATOR_TOKEN,
                            "Content-Type", "application/json; charset=utf-8",
                            "Origin", "https://ops.example.com",
                            "Host", "10.0.0.7:8081",
                            "X-Forwarded-Host", "ops.example.com"),
                        body))
                .status())
        .isEqualTo(200);
  }

  @Test
  @DisplayName("refuses a body over the limit with 413")
  void bodyLimit() {
    AdminResponse r =
        builder()
            .build()
            .handle(
                post(
                    "/postoffice/api/routes/r/pause",
                    Map.of(
                        "Authorization",
                        "Bearer " + Shop.OPERATOR_TOKEN,
                        "Content-Type",
                        "application/json"),
                    "{\"reason\":\"" + "x".repeat(AdminHandler.MAX_BODY_BYTES) + "\"}"));
    assertThat(r.status()).isEqualTo(413);
  }

  @Test
  @DisplayName(
      "answers 503 without the failure's details when the store is down, and health says DOWN")
  void storeDown() {
    AdminHandler h = builder().build();
    storeDown.set(true);
    AdminResponse routes = h.handle(get("/postoffice/api/routes", AUTH));
    assertThat(routes.status()).isEqualTo(503);
    assertThat(routes.bodyText()).contains("the store is unavailable; try again");
    AdminResponse health = h.handle(get("/postoffice/api/health", AUTH));
    assertThat(health.status()).isEqualTo(503);
    assertThat(health.bodyText()).contains("\"store\":{\"up\":false");
  }
}
