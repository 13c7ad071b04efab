package dev.postoffice.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * The console on a shop, served on a free port, and an HTTP client that calls its API as curl
 * would: {@code get("entries?status=REJECTED", token)}.
 */
final class Console implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final AdminServer server;
  final HttpClient http = HttpClient.newHttpClient();

  Console(AdminHandler handler) {
    this.server = AdminServer.builder(handler).port(0).start();
  }

  /** The console of a shop with an operator and a viewer token. */
  static Console of(Shop shop) {
    return new Console(handler(shop).build());
  }

  static AdminHandler.Builder handler(Shop shop) {
    return AdminHandler.builder(shop.pipeline.operations())
        .enabled(true)
        .authenticator(
            BearerTokens.builder()
                .operator("olivia", Shop.OPERATOR_TOKEN)
                .viewer("victor", Shop.VIEWER_TOKEN)
                .build());
  }

  String base() {
    return "http://127.0.0.1:" + server.port() + "/postoffice/";
  }

  /** A reply: status, JSON body and headers. */
  record Reply(int status, JsonNode json, HttpResponse<String> raw) {
    String text(String field) {
      return json.path(field).asText();
    }
  }

  Reply get(String path, String token) {
    HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base() + "api/" + path)).GET();
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return send(r.build());
  }

  Reply post(String path, String token, String json) {
    return post(path, token, json, Map.of());
  }

  Reply post(String path, String token, String json, Map<String, String> headers) {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create(base() + "api/" + path))
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (!headers.containsKey("Content-Type")) {
      r.header("Content-Type", "application/json");
    }
    headers.forEach(r::header);
    if (token != null) {
      r.header("Authorization", "Bearer " + token);
    }
    return send(r.build());
  }

  Reply send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      String body = response.body();
      JsonNode json =
          body.isEmpty() || !body.startsWith("{") ? JSON.createObjectNode() : JSON.readTree(body);
      return new Reply(response.statusCode(), json, response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
