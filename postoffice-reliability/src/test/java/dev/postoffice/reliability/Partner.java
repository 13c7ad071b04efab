package dev.postoffice.reliability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in partner API over loopback HTTP: records each request's idempotency key and the
 * shipment reference it carried, and the request headers seen. It answers 201, or hangs every
 * request ({@link #hang()}) until closed, as a partner that stopped answering.
 */
final class Partner implements AutoCloseable {
  final Map<String, AtomicInteger> keys = new ConcurrentHashMap<>();
  final Map<String, Set<String>> keysByReference = new ConcurrentHashMap<>();
  final AtomicInteger requests = new AtomicInteger();
  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "partner-stand-in");
            t.setDaemon(true);
            return t;
          });
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean hang;

  private Partner() throws IOException {
    server = HttpServer.create(new InetSocketAddress(Services.HOST, 0), 200);
    server.createContext("/", this::serve);
    server.setExecutor(executor);
    server.start();
  }

  /**
   * @return a started partner on a free loopback port
   */
  static Partner start() throws IOException {
    return new Partner();
  }

  /**
   * @return this partner, now holding every request without an answer
   */
  Partner hang() {
    hang = true;
    return this;
  }

  /**
   * @return the base URI
   */
  URI uri() {
    return URI.create("http://" + Services.HOST + ":" + server.getAddress().getPort() + "/");
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      requests.incrementAndGet();
      if (hang) {
        closed.await();
        return;
      }
      String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
      if (key != null) {
        keys.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        String reference =
            Flows.CODEC
                .decode(dev.postoffice.model.Payload.json(body), Flows.PartnerShipment.class)
                .reference();
        keysByReference.computeIfAbsent(reference, r -> ConcurrentHashMap.newKeySet()).add(key);
      }
      byte[] answer = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(201, answer.length);
      exchange.getResponseBody().write(answer);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * @return references that arrived under more than one idempotency key (must be empty)
   */
  Map<String, Set<String>> referencesWithSeveralKeys() {
    Map<String, Set<String>> more = new TreeMap<>();
    keysByReference.forEach(
        (ref, set) -> {
          if (set.size() != 1) {
            more.put(ref, set);
          }
        });
    return more;
  }

  /**
   * @return requests beyond the first per idempotency key: resends the partner deduplicated by key
   */
  int resends() {
    return keys.values().stream().mapToInt(n -> n.get() - 1).sum();
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }
}
