package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.admin.AdminServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The example with -Dexample.console=true")
class ExampleConsoleTest {
  @Test
  @DisplayName("serves the console on the example's pipeline, to the token it prints")
  void console() throws Exception {
    String token = "example-token-0123456789";
    AtomicReference<String> routes = new AtomicReference<>();
    AtomicReference<Integer> withoutToken = new AtomicReference<>();
    PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
    int exit =
        ExampleApp.run(
            200,
            50,
            Duration.ofSeconds(30),
            out,
            example -> {
              try (AdminServer server = ExampleConsole.start(example.pipeline(), token, 0)) {
                HttpClient http = HttpClient.newHttpClient();
                URI api = URI.create(server.url() + "api/routes");
                routes.set(
                    http.send(
                            HttpRequest.newBuilder(api)
                                .header("Authorization", "Bearer " + token)
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body());
                withoutToken.set(
                    http.send(
                            HttpRequest.newBuilder(api).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(exit).isZero();
    assertThat(routes.get())
        .contains("\"route\":\"acme-orders\"", "\"route\":\"shipments-to-acme\"");
    assertThat(withoutToken.get()).isEqualTo(401);
    assertThat(ExampleConsole.wanted(new String[] {"--console"})).isTrue();
    assertThat(ExampleConsole.wanted(new String[] {"100"})).isFalse();
  }
}
