package dev.postoffice.core.intake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postoffice.core.internal.Require;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link WebhookHandler} on the JDK's built-in HTTP server ({@code com.sun.net.httpserver}), for
 * hosts without a web framework. Every path is passed to the handler, which answers 404 for unknown ones.
 *
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.builder(webhooks).port(8080).start()) {
 *   ... // partners POST to http://host:8080/webhooks/acme-orders
 * }
 * }</pre>
 *
 * <p>Thread-safe. Put TLS in front of it (a load balancer or reverse proxy): it speaks plain HTTP.
 */
public final class WebhookServer implements AutoCloseable {
  /** The address bound, unless set: all interfaces. */
  public static final String DEFAULT_HOST = "0.0.0.0";
  /** The port bound, unless set. */
  public static final int DEFAULT_PORT = 8080;
  /** The threads answering requests, unless set. */
  public static final int DEFAULT_THREADS = 8;
  /** The most bytes of a refused request's body read and dropped so that the client sees the answer. */
  public static final long MAX_DISCARD_BYTES = 16L << 20;

  /** How long {@link #close()} lets requests in progress finish, unless set. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Duration stopGrace;

  private WebhookServer(HttpServer server, ExecutorService executor, Duration stopGrace) {
    this.server = server;
    this.executor = executor;
    this.stopGrace = stopGrace;
  }

  /**
   * Starts describing a server for a handler.
   *
   * @param handler the handler to serve
   * @return a new builder
   */
  public static Builder builder(WebhookHandler handler) {
    return new Builder(Require.nonNull(handler, "handler"));
  }

  /**
   * Returns the port bound, useful after binding port 0.
   *
   * @return the port
   */
  public int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting requests, lets those in progress finish within the grace period, and frees the port. */
  @Override
  public void close() {
    server.stop((int) Math.max(0, stopGrace.toSeconds()));
    executor.shutdownNow();
    try {
      executor.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void serve(WebhookHandler handler, HttpExchange exchange) throws IOException {
    try (exchange) {
      String length = exchange.getRequestHeaders().getFirst("Content-Length");
      long declared = -1;
      if (length != null) {
        try {
          declared = Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
          declared = -1;
        }
      }
      WebhookResponse response = handler.handle(new WebhookRequest(exchange.getRequestMethod(),
          exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), exchange.getRequestBody(), declared));
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      byte[] body = response.bodyBytes();
      if (!response.isSuccess()) {
        // The body may be left unread (413): the connection must not be reused for a next request.
        exchange.getResponseHeaders().set("Connection", "close");
      }
      exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
        out.flush();
        if (!response.isSuccess() && declared >= 0 && declared <= MAX_DISCARD_BYTES) {
          discardUnread(exchange);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      log.debug("webhook connection failed while answering: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("webhook handler failed", e);
      throw e;
    }
  }

  /**
   * Reads and drops what is left of a refused request's body, up to {@link #MAX_DISCARD_BYTES}: closing with
   * unread bytes makes the kernel reset the connection, and a client still sending would then see a reset
   * instead of the answer (413, 401). Only for bodies of a declared length within the bound: beyond it, or
   * for a chunked body that may never end, the connection is closed at once (an answer is not worth reading
   * gigabytes for, or holding a thread for a client that stalls).
   */
  private static void discardUnread(HttpExchange exchange) {
    byte[] sink = new byte[8192];
    long left = MAX_DISCARD_BYTES;
    try {
      java.io.InputStream in = exchange.getRequestBody();
      int n;
      while (left > 0 && (n = in.read(sink, 0, (int) Math.min(sink.length, left))) > 0) {
        left -= n;
      }
    } catch (IOException e) {
      log.debug("webhook client went away while its refused body was discarded: {}", e.toString());
    }
  }

  /** Builds and starts a {@link WebhookServer}. Not thread-safe. */
  public static final class Builder {
    private final WebhookHandler handler;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int threads = DEFAULT_THREADS;
    private Duration stopGrace = DEFAULT_STOP_GRACE;

    private Builder(WebhookHandler handler) {
      this.handler = handler;
    }

    /**
     * Sets the address to bind.
     *
     * @param value a host name or address; default {@value #DEFAULT_HOST} (use {@code 127.0.0.1} in tests)
     * @return this builder
     */
    public Builder host(String value) {
      host = Require.nonBlank(value, "host");
      return this;
    }

    /**
     * Sets the port to bind.
     *
     * @param value 0 to 65535, 0 for any free port (see {@link #port()}); default {@value #DEFAULT_PORT}
     * @return this builder
     */
    public Builder port(int value) {
      port = Require.between(value, 0, 65_535, "port");
      return this;
    }

    /**
     * Sets the threads answering requests.
     *
     * @param value 1 to 1000; default {@value #DEFAULT_THREADS}
     * @return this builder
     */
    public Builder threads(int value) {
      threads = Require.between(value, 1, 1000, "threads");
      return this;
    }

    /**
     * Sets how long {@link WebhookServer#close()} lets requests in progress finish.
     *
     * @param value 0 to 1 minute; default 2 s
     * @return this builder
     */
    public Builder stopGrace(Duration value) {
      stopGrace = Require.between(value, Duration.ZERO, Duration.ofMinutes(1), "stopGrace");
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @return the running server
     * @throws UncheckedIOException if the port cannot be bound
     */
    public WebhookServer start() {
      AtomicInteger count = new AtomicInteger();
      ThreadFactory factory = r -> {
        Thread t = new Thread(r, "postoffice-webhook-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      ExecutorService executor = Executors.newFixedThreadPool(threads, factory);
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
      } catch (IOException e) {
        executor.shutdownNow();
        throw new UncheckedIOException("cannot bind the webhook server to " + host + ":" + port, e);
      }
      server.createContext("/", exchange -> serve(handler, exchange));
      server.setExecutor(executor);
      server.start();
      log.info("webhook server listening on {}:{}", host, server.getAddress().getPort());
      return new WebhookServer(server, executor, stopGrace);
    }
  }
}
