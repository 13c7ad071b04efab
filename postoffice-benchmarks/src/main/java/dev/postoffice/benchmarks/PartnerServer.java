package dev.postoffice.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A partner API stand-in for the downstream scenario: the JDK's HTTP server on a free loopback
 * port, answering every POST with 200 and a small JSON body once it has read the request. It does
 * no work of its own, so the figures are the HTTP round trip plus what the caller does.
 */
final class PartnerServer implements AutoCloseable {
  private static final byte[] ANSWER = "{\"accepted\":true}".getBytes(StandardCharsets.UTF_8);

  private final HttpServer server;
  private final ExecutorService threads;
  private final AtomicLong requests = new AtomicLong();

  static {
    // The JDK server writes the response headers and body in separate packets; with Nagle's
    // algorithm on,
    // each answer then waits out the client's delayed ACK (about 40 ms), and the partner, not the
    // caller,
    // would set the pace. Read once, when the server's configuration loads, so it is set before any
    // use.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  PartnerServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
    // Several threads, so that concurrent callers (nodes, stage concurrency) are not serialized
    // here.
    threads =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "partner-stand-in");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(threads);
    server.createContext(
        "/shipments",
        exchange -> {
          try (InputStream in = exchange.getRequestBody();
              OutputStream out = exchange.getResponseBody()) {
            in.readAllBytes();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ANSWER.length);
            out.write(ANSWER);
          }
          requests.incrementAndGet();
        });
    server.start();
  }

  /** Where the partner takes shipments. */
  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/shipments");
  }

  long requests() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
