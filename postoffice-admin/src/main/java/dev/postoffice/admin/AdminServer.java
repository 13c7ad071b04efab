package dev.postoffice.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postoffice.admin.internal.Require;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an {@link AdminHandler} on the JDK's built-in HTTP server ({@code
 * com.sun.net.httpserver}), for hosts without a web framework. Requests outside the handler's
 * prefix are answered 404.
 *
 * <pre>{@code
 * try (AdminServer server = AdminServer.builder(console).host("127.0.0.1").port(8081).start()) {
 *   System.out.println("console at " + server.url());
 * }
 * }</pre>
 *
 * <p>Thread-safe. It speaks plain HTTP: bind it to a private interface, or put TLS in front of it
 * (the bearer token must not cross a network in clear text).
 */
public final class AdminServer implements AutoCloseable {
  /** The address bound, unless set: the loopback interface only. */
  public static final String DEFAULT_HOST = "127.0.0.1";

  /** The port bound, unless set. */
  public static final int DEFAULT_PORT = 8081;

  /** Requests served at once, unless set. */
  public static final int DEFAULT_THREADS = 4;

  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

  private final HttpServer server;
  private final ExecutorService workers;
  private final AdminHandler handler;

  private AdminServer(HttpServer server, ExecutorService workers, AdminHandler handler) {
    this.server = server;
    this.workers = workers;
    this.handler = handler;
  }

  /**
   * Starts describing a server for a console.
   *
   * @param handler the console
   * @return a new builder
   */
  public static Builder builder(AdminHandler handler) {
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

  /**
   * Returns the console's address, such as {@code http://127.0.0.1:8081/postoffice/}.
   *
   * @return the address of the web page
   */
  public String url() {
    String host = server.getAddress().getHostString();
    if (host.equals("0.0.0.0")) {
      host = "localhost";
    }
    return "http://" + host + ":" + port() + handler.pathPrefix() + "/";
  }

  /** Stops serving and frees the port, letting requests in progress finish for a second. */
  @Override
  public void close() {
    server.stop(1);
    workers.shutdownNow();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void serve(AdminHandler handler, HttpExchange exchange) {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readNBytes(AdminHandler.MAX_BODY_BYTES + 1);
      }
      AdminResponse response =
          handler.handle(
              new AdminRequest(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getRawPath(),
                  exchange.getRequestURI().getRawQuery(),
                  exchange.getRequestHeaders(),
                  body));
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      boolean head = exchange.getRequestMethod().equals("HEAD");
      byte[] out = head ? new byte[0] : response.body();
      exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
      try (OutputStream o = exchange.getResponseBody()) {
        o.write(out);
      }
    } catch (IOException | UncheckedIOException e) {
      log.debug("admin connection failed while answering: {}", e.toString());
    }
  }

  /** Builds and starts an {@link AdminServer}. Not thread-safe. */
  public static final class Builder {
    private final AdminHandler handler;
    private String host = DEFAULT_HOST;
    private int port = DEFAULT_PORT;
    private int threads = DEFAULT_THREADS;

    private Builder(AdminHandler handler) {
      this.handler = handler;
    }

    /**
     * Sets the address to bind.
     *
     * @param value a host name or address; default {@value AdminServer#DEFAULT_HOST}, so that only
     *     the machine itself reaches the console until the host decides otherwise
     * @return this builder
     */
    public Builder host(String value) {
      host = Require.nonBlank(value, "host");
      return this;
    }

    /**
     * Sets the port to bind.
     *
     * @param value 0 to 65535, 0 for any free port (see {@link #port()}); default {@value
     *     AdminServer#DEFAULT_PORT}
     * @return this builder
     */
    public Builder port(int value) {
      port = Require.between(value, 0, 65_535, "port");
      return this;
    }

    /**
     * Sets how many requests are served at once.
     *
     * @param value 1 to 100; default {@value AdminServer#DEFAULT_THREADS}
     * @return this builder
     */
    public Builder threads(int value) {
      threads = Require.between(value, 1, 100, "threads");
      return this;
    }

    /**
     * Binds the port and starts serving.
     *
     * @return the running server
     * @throws UncheckedIOException if the port cannot be bound
     */
    public AdminServer start() {
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot bind the admin console to " + host + ":" + port, e);
      }
      AtomicInteger count = new AtomicInteger();
      ExecutorService workers =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "postoffice-admin-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      server.createContext("/", exchange -> serve(handler, exchange));
      server.setExecutor(workers);
      server.start();
      log.info("admin console listening on {}:{}", host, server.getAddress().getPort());
      return new AdminServer(server, workers, handler);
    }
  }
}
