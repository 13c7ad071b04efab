package dev.postoffice.core.intake;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.postoffice.core.intake.internal.ReadDeadline;
import dev.postoffice.core.intake.internal.ReadingExecutor;
import dev.postoffice.core.intake.internal.WebhookAnswers;
import dev.postoffice.core.internal.Require;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link WebhookHandler} on the JDK's built-in HTTP server ({@code
 * com.sun.net.httpserver}), for hosts without a web framework. Every path is passed to the handler,
 * which answers 404 for unknown ones.
 *
 * <pre>{@code
 * try (WebhookServer server = WebhookServer.builder(webhooks).port(8080).start()) {
 *   ... // partners POST to http://host:8080/webhooks/acme-orders
 * }
 * }</pre>
 *
 * <p>Slow clients cannot starve the others. Each request is read on its own thread (up to {@code
 * readThreads}) and must be read whole, headers and body, within {@code readTimeout} of its first
 * byte, or its connection is closed; only then does it wait for one of the {@code threads} that
 * check and store. A connection that sends nothing holds no thread, only a socket; the JDK server
 * closes idle connections after its own idle interval ({@code sun.net.httpserver.idleInterval}, 30
 * s by default).
 *
 * <p>Thread-safe. Put TLS in front of it (a load balancer or reverse proxy): it speaks plain HTTP.
 */
public final class WebhookServer implements AutoCloseable {
  /** The address bound, unless set: all interfaces. */
  public static final String DEFAULT_HOST = "0.0.0.0";

  /** The port bound, unless set. */
  public static final int DEFAULT_PORT = 8080;

  /** Requests checked and stored at once, unless set. */
  public static final int DEFAULT_THREADS = 8;

  /** Requests read at once, each on its own thread, unless set. */
  public static final int DEFAULT_READ_THREADS = 64;

  /**
   * The time a client has to send a whole request, unless set: from its first byte to the last of
   * its body. Long enough for a 1 MiB body (the default {@code maxBodyBytes}) at about 35 KB/s.
   */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The most bytes of a refused request's body read and dropped so that the client sees the answer.
   */
  public static final long MAX_DISCARD_BYTES = 16L << 20;

  /** How long {@link #close()} lets requests in progress finish, unless set. */
  public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);

  private final HttpServer server;
  private final ExecutorService readers;
  private final ScheduledExecutorService watchdog;
  private final Duration stopGrace;

  private WebhookServer(
      HttpServer server,
      ExecutorService readers,
      ScheduledExecutorService watchdog,
      Duration stopGrace) {
    this.server = server;
    this.readers = readers;
    this.watchdog = watchdog;
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

  /**
   * Stops accepting requests, lets those in progress finish within the grace period, and frees the
   * port.
   */
  @Override
  public void close() {
    server.stop((int) Math.max(0, stopGrace.toSeconds()));
    readers.shutdownNow();
    watchdog.shutdownNow();
    try {
      readers.awaitTermination(stopGrace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Serves one request in two steps: reading it (checks and body) within the request's read
   * deadline, then storing it with one of the {@code threads} permits, out of the deadline's reach.
   * A client that sends slowly holds a reading thread until its deadline at most, and never a
   * permit that valid webhooks wait for.
   */
  private static void serve(WebhookHandler handler, Semaphore storing, HttpExchange exchange) {
    ReadDeadline deadline = ReadingExecutor.current();
    deadline.describe(
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI().getPath()
            + " from "
            + exchange.getRemoteAddress());
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
      WebhookHandler.Received received =
          handler.receive(
              new WebhookRequest(
                  exchange.getRequestMethod(),
                  exchange.getRequestURI().getPath(),
                  exchange.getRequestHeaders(),
                  exchange.getRequestBody(),
                  declared));
      if (received.answer() != null) {
        // Refused before its body was read whole: answering still reads (what is discarded, and
        // what the JDK
        // server drains when the answer is closed), so the answer stays within the read deadline
        // too.
        answer(exchange, received.answer(), declared);
        deadline.leave();
        return;
      }
      if (!deadline.leave()) {
        return; // cut off: its connection is closed, there is no one to answer
      }
      // The body was read to its end: from here nothing waits on the client, and nothing is
      // interrupted.
      answer(exchange, store(handler, storing, received), declared);
    } catch (IOException | UncheckedIOException e) {
      log.debug("webhook connection failed while answering: {}", e.toString());
    } catch (RuntimeException e) {
      log.error("webhook handler failed", e);
      throw e;
    }
  }

  private static void answer(HttpExchange exchange, WebhookResponse response, long declared)
      throws IOException {
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
  }

  private static WebhookResponse store(
      WebhookHandler handler, Semaphore storing, WebhookHandler.Received received) {
    try {
      storing.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is closing
      return WebhookAnswers.error(
          503, "server is stopping; try again", Map.of("Connection", "close"));
    }
    try {
      return handler.store(received);
    } finally {
      storing.release();
    }
  }

  /**
   * Reads and drops what is left of a refused request's body, up to {@link #MAX_DISCARD_BYTES}:
   * closing with unread bytes makes the kernel reset the connection, and a client still sending
   * would then see a reset instead of the answer (413, 401). Only for bodies of a declared length
   * within the bound: beyond it, or for a chunked body that may never end, the connection is closed
   * at once (an answer is not worth reading gigabytes for, or holding a thread for a client that
   * stalls).
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
    private int readThreads = DEFAULT_READ_THREADS;
    private Duration readTimeout = DEFAULT_READ_TIMEOUT;
    private Duration stopGrace = DEFAULT_STOP_GRACE;

    private Builder(WebhookHandler handler) {
      this.handler = handler;
    }

    /**
     * Sets the address to bind.
     *
     * @param value a host name or address; default {@value #DEFAULT_HOST} (use {@code 127.0.0.1} in
     *     tests)
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
     *     #DEFAULT_PORT}
     * @return this builder
     */
    public Builder port(int value) {
      port = Require.between(value, 0, 65_535, "port");
      return this;
    }

    /**
     * Sets how many requests are checked and stored at once, once read whole; a request still being
     * read does not take one of them.
     *
     * @param value 1 to 1000; default {@value #DEFAULT_THREADS}
     * @return this builder
     */
    public Builder threads(int value) {
      threads = Require.between(value, 1, 1000, "threads");
      return this;
    }

    /**
     * Sets how many requests may be read at once, each on its own thread (started when needed,
     * stopped after a minute idle). Requests beyond wait for a thread, their read timeout running.
     *
     * @param value 1 to 10000; default {@value #DEFAULT_READ_THREADS}
     * @return this builder
     */
    public Builder readThreads(int value) {
      readThreads = Require.between(value, 1, 10_000, "readThreads");
      return this;
    }

    /**
     * Sets the time a client has to send a whole request, from its first byte to the last byte of
     * its body (request line, headers and body, whatever its pace). Past it the connection is
     * closed without an answer and nothing is stored; the client sees a closed connection and
     * retries. This is what keeps clients that send slowly, by accident or on purpose, from holding
     * threads for good. Storing is not bounded by it.
     *
     * @param value 100 ms to 1 h; default 30 s ({@link #DEFAULT_READ_TIMEOUT})
     * @return this builder
     */
    public Builder readTimeout(Duration value) {
      readTimeout =
          Require.between(value, Duration.ofMillis(100), Duration.ofHours(1), "readTimeout");
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
      ExecutorService readers =
          new ThreadPoolExecutor(
              readThreads,
              readThreads,
              1,
              TimeUnit.MINUTES,
              new LinkedBlockingQueue<>(),
              daemons("postoffice-webhook-"));
      ((ThreadPoolExecutor) readers).allowCoreThreadTimeOut(true);
      ScheduledThreadPoolExecutor watchdog =
          new ScheduledThreadPoolExecutor(1, daemons("postoffice-webhook-deadlines-"));
      watchdog.setRemoveOnCancelPolicy(true);
      HttpServer server;
      try {
        server = HttpServer.create(new InetSocketAddress(host, port), 0);
      } catch (IOException e) {
        readers.shutdownNow();
        watchdog.shutdownNow();
        throw new UncheckedIOException("cannot bind the webhook server to " + host + ":" + port, e);
      }
      Semaphore storing = new Semaphore(threads);
      server.createContext("/", exchange -> serve(handler, storing, exchange));
      server.setExecutor(new ReadingExecutor(readers, watchdog, readTimeout));
      server.start();
      log.info("webhook server listening on {}:{}", host, server.getAddress().getPort());
      return new WebhookServer(server, readers, watchdog, stopGrace);
    }

    private static ThreadFactory daemons(String prefix) {
      AtomicInteger count = new AtomicInteger();
      return r -> {
        Thread t = new Thread(r, prefix + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
    }
  }
}
