package dev.postoffice.core.dispatch;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A partner stand-in on loopback: answers each request with a scripted reply and records what it
 * got.
 */
public final class PartnerStub implements AutoCloseable {
  /** A request as the partner saw it (header names lower case). */
  public record Seen(
      String method, String path, String query, Map<String, String> headers, String body) {}

  /** A scripted answer. */
  public record Reply(int status, Map<String, String> headers, String body) {
    public static Reply of(int status, String body) {
      return new Reply(status, Map.of(), body);
    }
  }

  public final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "partner-stub");
            t.setDaemon(true);
            return t;
          });

  private PartnerStub(Function<Seen, Reply> script) {
    try {
      server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            Map<String, String> headers = new TreeMap<>();
            exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(), v.get(0)));
            Seen request =
                new Seen(
                    exchange.getRequestMethod(),
                    exchange.getRequestURI().getPath(),
                    exchange.getRequestURI().getQuery(),
                    headers,
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            seen.add(request);
            Reply reply = script.apply(request);
            reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.setExecutor(executor);
    server.start();
  }

  public static PartnerStub start(Function<Seen, Reply> script) {
    return new PartnerStub(script);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
