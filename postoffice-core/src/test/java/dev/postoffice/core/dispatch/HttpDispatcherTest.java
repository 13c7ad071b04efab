package dev.postoffice.core.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.DispatchContext;
import dev.postoffice.DispatchResult;
import dev.postoffice.PartnerRequest;
import dev.postoffice.PermanentFailureException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.core.dispatch.PartnerStub.Reply;
import dev.postoffice.core.dispatch.internal.RetryAfter;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import dev.postoffice.model.TraceParent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("HttpDispatcher")
class HttpDispatcherTest {
  private PartnerStub partner;

  @AfterEach
  void tearDown() {
    if (partner != null) {
      partner.close();
    }
  }

  static DispatchContext context() {
    return new DispatchContext(
        RouteId.of("shipments-to-acme"), EntryId.random(), TraceId.random(), 1);
  }

  private PartnerRequest post(String json) {
    return new PartnerRequest(
        "POST",
        partner.uri("/shipments?key=query-secret"),
        Map.of("X-Api-Version", "3"),
        Payload.json(json));
  }

  @Nested
  @DisplayName("answers")
  class Answers {
    @Test
    @DisplayName(
        "2xx is a result with the status and a bounded excerpt, sent with the entry id as Idempotency-Key")
    void success() {
      partner = PartnerStub.start(r -> Reply.of(201, "{\"id\":\"s-1\"}" + "x".repeat(5000)));
      DispatchContext ctx = context();
      DispatchResult result = HttpDispatcher.ofDefaults().dispatch(post("{\"a\":1}"), ctx);

      assertThat(result.statusCode()).isEqualTo(201);
      assertThat(result.excerpt())
          .startsWith("{\"id\":\"s-1\"}")
          .hasSize(DispatchResult.MAX_EXCERPT);
      PartnerStub.Seen seen = partner.seen.get(0);
      assertThat(seen.method()).isEqualTo("POST");
      assertThat(seen.body()).isEqualTo("{\"a\":1}");
      assertThat(seen.headers())
          .containsEntry("idempotency-key", ctx.entryId().value())
          .containsEntry("content-type", "application/json")
          .containsEntry("x-api-version", "3");
    }

    @Test
    @DisplayName("other 4xx fail permanently with the status and the partner's answer as reason")
    void permanent() {
      partner = PartnerStub.start(r -> Reply.of(400, "{\"error\":\"address missing\"}"));
      assertThatThrownBy(() -> HttpDispatcher.ofDefaults().dispatch(post("{}"), context()))
          .isInstanceOf(PermanentFailureException.class)
          .hasMessageContaining("400")
          .hasMessageContaining("address missing")
          .hasMessageNotContaining("query-secret");
    }

    @Test
    @DisplayName("503 is transient and carries Retry-After in seconds")
    void unavailable() {
      partner = PartnerStub.start(r -> new Reply(503, Map.of("Retry-After", "7"), "busy"));
      assertThatThrownBy(() -> HttpDispatcher.ofDefaults().dispatch(post("{}"), context()))
          .isInstanceOfSatisfying(
              TransientFailureException.class,
              e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(7)))
          .hasMessageContaining("503");
    }

    @Test
    @DisplayName("429 is transient and carries Retry-After given as an HTTP date")
    void tooMany() {
      Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
      partner =
          PartnerStub.start(
              r -> new Reply(429, Map.of("Retry-After", "Thu, 01 Jan 2026 00:00:30 GMT"), ""));
      HttpDispatcher dispatcher = HttpDispatcher.builder().clock(clock).build();
      assertThatThrownBy(() -> dispatcher.dispatch(post("{}"), context()))
          .isInstanceOfSatisfying(
              TransientFailureException.class,
              e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(30)));
    }

    @Test
    @DisplayName("408 and 500 are transient without a hint")
    void otherTransient() {
      AtomicInteger n = new AtomicInteger();
      partner = PartnerStub.start(r -> Reply.of(n.getAndIncrement() == 0 ? 408 : 500, ""));
      HttpDispatcher dispatcher = HttpDispatcher.ofDefaults();
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> dispatcher.dispatch(post("{}"), context()))
            .isInstanceOfSatisfying(
                TransientFailureException.class, e -> assertThat(e.retryAfter()).isEmpty());
      }
    }

    @Test
    @DisplayName("a partner slower than the request timeout is a transient failure")
    void timeout() throws Exception {
      CountDownLatch release = new CountDownLatch(1);
      partner =
          PartnerStub.start(
              r -> {
                await(release);
                return Reply.of(200, "");
              });
      HttpDispatcher dispatcher =
          HttpDispatcher.builder().requestTimeout(Duration.ofMillis(200)).build();
      try {
        assertThatThrownBy(() -> dispatcher.dispatch(post("{}"), context()))
            .isInstanceOf(TransientFailureException.class)
            .hasCauseInstanceOf(HttpTimeoutException.class)
            .hasMessageContaining("request timeout");
      } finally {
        release.countDown();
      }
    }

    @Test
    @DisplayName("a refused connection is retried in the call, then transient")
    void refused() throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      HttpDispatcher dispatcher =
          HttpDispatcher.builder().connectRetries(2, Duration.ofMillis(1)).build();
      PartnerRequest request =
          PartnerRequest.post(URI.create("http://127.0.0.1:" + port + "/x"), Payload.json("{}"));
      assertThatThrownBy(() -> dispatcher.dispatch(request, context()))
          .isInstanceOf(TransientFailureException.class)
          .hasMessageContaining("failed");
    }
  }

  @Nested
  @DisplayName("exchange timeout (issue 16, defect 8)")
  class ExchangeTimeout {
    @Test
    @DisplayName(
        "a partner that stalls after its headers ends the dispatch as transient within exchangeTimeout,"
            + " frees its slot, and a healthy partner is served meanwhile")
    void stallAfterHeaders() throws Exception {
      partner = PartnerStub.start(r -> Reply.of(200, "ok"));
      Duration deadline = Duration.ofMillis(500);
      HttpDispatcher dispatcher =
          HttpDispatcher.builder()
              .exchangeTimeout(deadline)
              .maxConcurrentRequests(1)
              .permitWait(Duration.ZERO)
              .build();
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try (StallingPartner stalling = StallingPartner.start()) {
        PartnerRequest stalled = PartnerRequest.post(stalling.uri("/orders"), Payload.json("{}"));
        long started = System.nanoTime();
        Future<?> first = pool.submit(() -> dispatcher.dispatch(stalled, context()));
        assertThat(stalling.headersSent.await(10, TimeUnit.SECONDS)).isTrue();
        // While the stalled exchange holds its partner's only slot, another partner is served at
        // once.
        assertThat(dispatcher.dispatch(post("{}"), context()).statusCode()).isEqualTo(200);

        assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
            .cause()
            .isInstanceOf(TransientFailureException.class)
            .hasMessageContaining("exchange timeout " + deadline)
            .hasMessageContaining("/orders");
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(deadline.plusSeconds(2));
        // The slot is free again: the next attempt is sent (and stalls in its turn), not refused
        // for lack of one.
        assertThatThrownBy(() -> dispatcher.dispatch(stalled, context()))
            .isInstanceOf(TransientFailureException.class)
            .hasMessageContaining("exchange timeout");
        assertThat(stalling.requests.get()).isEqualTo(2);
        // Nothing is left open: the dispatcher closed both abandoned connections.
        assertThat(stalling.closedByClient.await(5, TimeUnit.SECONDS)).isTrue();
      } finally {
        pool.shutdownNow();
      }
    }

    @Test
    @DisplayName(
        "a partner that never answers ends the dispatch within exchangeTimeout, even when the"
            + " request timeout is longer")
    void silentPartner() throws Exception {
      Duration deadline = Duration.ofMillis(500);
      HttpDispatcher dispatcher =
          HttpDispatcher.builder()
              .exchangeTimeout(deadline)
              .requestTimeout(Duration.ofSeconds(20))
              .build();
      try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        Thread acceptor =
            new Thread(
                () -> {
                  try {
                    List<Socket> held = new ArrayList<>();
                    while (true) {
                      held.add(silent.accept()); // reads nothing, answers nothing
                    }
                  } catch (IOException e) {
                    // closed
                  }
                },
                "silent-partner");
        acceptor.setDaemon(true);
        acceptor.start();
        PartnerRequest request =
            PartnerRequest.post(
                URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/orders"),
                Payload.json("{}"));
        long started = System.nanoTime();
        assertThatThrownBy(() -> dispatcher.dispatch(request, context()))
            .isInstanceOf(TransientFailureException.class)
            .hasMessageContaining("exchange timeout " + deadline);
        assertThat(Duration.ofNanos(System.nanoTime() - started))
            .isLessThan(deadline.plusSeconds(2));
      }
    }

    @Test
    @DisplayName("the thread that keeps deadlines ends once no exchange is in flight")
    void deadlineThreadEnds() throws Exception {
      partner = PartnerStub.start(r -> Reply.of(200, "ok"));
      assertThat(HttpDispatcher.ofDefaults().dispatch(post("{}"), context()).statusCode())
          .isEqualTo(200);
      // Its keep-alive is 5 s: it must be gone well within 20.
      Awaitility.await("postoffice-http-deadlines threads ended")
          .atMost(Duration.ofSeconds(20))
          .until(() -> deadlineThreads() == 0);
    }

    private long deadlineThreads() {
      return Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("postoffice-http-deadlines") && t.isAlive())
          .count();
    }

    @Test
    @DisplayName("a slow but steady body within exchangeTimeout is read whole")
    void slowBodyWithinDeadline() throws Exception {
      partner = PartnerStub.start(r -> Reply.of(201, "{\"id\":\"s-1\"}"));
      HttpDispatcher dispatcher =
          HttpDispatcher.builder().exchangeTimeout(Duration.ofSeconds(5)).build();
      assertThat(dispatcher.dispatch(post("{}"), context()).excerpt())
          .isEqualTo("{\"id\":\"s-1\"}");
    }
  }

  /**
   * A partner on a raw socket that sends a 200's headers and part of its body, then sends nothing
   * more.
   */
  static final class StallingPartner implements AutoCloseable {
    final CountDownLatch headersSent = new CountDownLatch(1);
    final AtomicInteger requests = new AtomicInteger();
    final CountDownLatch closedByClient = new CountDownLatch(2);
    private final ServerSocket server;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private StallingPartner() throws IOException {
      server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      acceptor = new Thread(this::accept, "stalling-partner");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    static StallingPartner start() throws IOException {
      return new StallingPartner();
    }

    URI uri(String path) {
      return URI.create("http://127.0.0.1:" + server.getLocalPort() + path);
    }

    private void accept() {
      try {
        while (true) {
          Socket socket = server.accept();
          open.add(socket);
          // Read the request head, then answer headers and 2 of the 1000 bytes promised; keep the
          // socket open.
          InputStream in = socket.getInputStream();
          int matched = 0;
          while (matched < 4) {
            int b = in.read();
            if (b < 0) {
              break;
            }
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
          }
          requests.incrementAndGet();
          socket
              .getOutputStream()
              .write(
                  ("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n"
                          + "Content-Type: text/plain\r\n\r\nok")
                      .getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
          headersSent.countDown();
          Thread watcher =
              new Thread(
                  () -> {
                    try {
                      while (in.read() >= 0) {
                        // the rest of the request body
                      }
                    } catch (IOException e) {
                      // reset by the client: closed as well
                    }
                    closedByClient.countDown();
                  },
                  "stalling-partner-watcher");
          watcher.setDaemon(true);
          watcher.start();
        }
      } catch (IOException e) {
        // closed by close()
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      for (Socket socket : open) {
        socket.close();
      }
    }
  }

  @Nested
  @DisplayName("trace context")
  class TraceContext {
    static final String RECEIVED = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

    private DispatchContext traced(TraceId trace, Map<String, String> headers) {
      return new DispatchContext(
          RouteId.of("shipments-to-acme"), EntryId.random(), trace, 1, headers);
    }

    @Test
    @DisplayName(
        "each request carries the trace-id received, a new span id and the received flags and tracestate")
    void continuesTheTrace() {
      partner = PartnerStub.start(r -> Reply.of(201, "ok"));
      DispatchContext ctx =
          traced(
              TraceId.of("4bf92f3577b34da6a3ce929d0e0e4736"),
              Map.of("traceparent", RECEIVED, "tracestate", "rojo=00f067aa0ba902b7"));
      HttpDispatcher dispatcher = HttpDispatcher.ofDefaults();
      dispatcher.dispatch(post("{}"), ctx);
      dispatcher.dispatch(post("{}"), ctx);

      List<TraceParent> sent =
          partner.seen.stream()
              .map(s -> TraceParent.parse(s.headers().get("traceparent")).orElseThrow())
              .toList();
      assertThat(sent)
          .allSatisfy(
              p -> {
                assertThat(p.traceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
                assertThat(p.parentId()).isNotEqualTo("00f067aa0ba902b7");
                assertThat(p.isSampled()).isFalse();
              });
      assertThat(sent.get(0).parentId()).isNotEqualTo(sent.get(1).parentId());
      assertThat(partner.seen)
          .allSatisfy(
              s -> assertThat(s.headers()).containsEntry("tracestate", "rojo=00f067aa0ba902b7"));
    }

    @Test
    @DisplayName(
        "a trace PostOffice began is sent sampled; an older id without dashes; a host's own id not at all")
    void ownTraces() {
      partner = PartnerStub.start(r -> Reply.of(201, "ok"));
      HttpDispatcher dispatcher = HttpDispatcher.ofDefaults();
      TraceId own = TraceId.random();
      dispatcher.dispatch(post("{}"), traced(own, Map.of()));
      dispatcher.dispatch(
          post("{}"), traced(TraceId.of("0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f00"), Map.of()));
      dispatcher.dispatch(post("{}"), traced(TraceId.of("order-17"), Map.of()));

      assertThat(partner.seen.get(0).headers().get("traceparent"))
          .matches("00-" + own.value() + "-[0-9a-f]{16}-01");
      assertThat(partner.seen.get(1).headers().get("traceparent"))
          .matches("00-0190a4f27c3e7a118e2f5b6c7d8e9f00-[0-9a-f]{16}-01");
      assertThat(partner.seen.get(2).headers())
          .doesNotContainKey("traceparent")
          .doesNotContainKey("tracestate");
    }

    @Test
    @DisplayName("a traceparent the request sets itself is sent as it is")
    void requestsOwn() {
      partner = PartnerStub.start(r -> Reply.of(201, "ok"));
      PartnerRequest request =
          new PartnerRequest(
              "POST", partner.uri("/shipments"), Map.of("Traceparent", RECEIVED), null);
      HttpDispatcher.ofDefaults().dispatch(request, traced(TraceId.random(), Map.of()));

      assertThat(partner.seen.get(0).headers()).containsEntry("traceparent", RECEIVED);
    }
  }

  @Nested
  @DisplayName("credentials")
  class Credentials {
    @Test
    @DisplayName("are sent from the auth provider and never logged, also when the partner refuses")
    void authNotLogged() {
      partner = PartnerStub.start(r -> Reply.of(r.path().endsWith("bad") ? 401 : 200, "nope"));
      HttpDispatcher dispatcher =
          HttpDispatcher.builder().auth(AuthProvider.bearer(() -> "tok-SECRET-42")).build();
      PrintStream err = System.err;
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      try {
        dispatcher.dispatch(post("{}"), context());
        PartnerRequest bad = new PartnerRequest("POST", partner.uri("/bad"), Map.of(), null);
        assertThatThrownBy(() -> dispatcher.dispatch(bad, context()))
            .hasMessageNotContaining("tok-SECRET-42");
      } finally {
        System.setErr(err);
      }
      assertThat(partner.seen.get(0).headers())
          .containsEntry("authorization", "Bearer tok-SECRET-42");
      assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("tok-SECRET-42");
      assertThat(dispatcher.toString()).doesNotContain("tok-SECRET-42");
    }
  }

  @Nested
  @DisplayName("limits")
  class Limits {
    @Test
    @DisplayName(
        "never has more requests in flight to one partner than maxConcurrentRequests, under load")
    void concurrencyUnderLoad() throws Exception {
      AtomicInteger inFlight = new AtomicInteger();
      AtomicInteger max = new AtomicInteger();
      CountDownLatch twoIn = new CountDownLatch(2);
      CountDownLatch release = new CountDownLatch(1);
      partner =
          PartnerStub.start(
              r -> {
                max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                twoIn.countDown();
                await(release);
                inFlight.decrementAndGet();
                return Reply.of(200, "ok");
              });
      HttpDispatcher dispatcher = HttpDispatcher.builder().maxConcurrentRequests(2).build();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<DispatchResult>> results = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          results.add(pool.submit(() -> dispatcher.dispatch(post("{}"), context())));
        }
        assertThat(twoIn.await(10, TimeUnit.SECONDS)).isTrue();
        // Two are held by the partner; the six others wait for a slot and are not sent yet.
        assertThat(partner.seen).hasSize(2);
        release.countDown();
        for (Future<DispatchResult> result : results) {
          assertThat(result.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
      assertThat(max.get()).isEqualTo(2);
      assertThat(partner.seen).hasSize(8);
    }

    @Test
    @DisplayName("refuses a request that cannot get a slot within permitWait, without sending it")
    void permitWait() throws Exception {
      CountDownLatch in = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      partner =
          PartnerStub.start(
              r -> {
                in.countDown();
                await(release);
                return Reply.of(200, "");
              });
      HttpDispatcher dispatcher =
          HttpDispatcher.builder().maxConcurrentRequests(1).permitWait(Duration.ZERO).build();
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<DispatchResult> first =
            pool.submit(() -> dispatcher.dispatch(post("{}"), context()));
        assertThat(in.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> dispatcher.dispatch(post("{}"), context()))
            .isInstanceOf(TransientFailureException.class)
            .hasMessageContaining("maxConcurrentRequests");
        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
      } finally {
        release.countDown();
        pool.shutdownNow();
      }
      assertThat(partner.seen).hasSize(1);
    }

    @Test
    @DisplayName(
        "forgets partners idle for idlePartnerExpiry, so many distinct hosts do not grow its memory"
            + " (issue 16, defect 12)")
    void idlePartnersForgotten() throws Exception {
      int port;
      try (ServerSocket socket = new ServerSocket(0)) {
        port = socket.getLocalPort();
      }
      AtomicLong nanos = new AtomicLong();
      HttpDispatcher dispatcher =
          HttpDispatcher.builder()
              .idlePartnerExpiry(Duration.ofMinutes(1))
              .connectRetries(0, Duration.ofMillis(1))
              .nanoTime(nanos::get)
              .build();
      // 100 partners (127.0.0.0/8 is all loopback, nothing listens on the port), a new one every 10
      // s.
      for (int host = 1; host <= 100; host++) {
        PartnerRequest request =
            PartnerRequest.post(
                URI.create("http://127.0.0." + host + ":" + port + "/x"), Payload.json("{}"));
        assertThatThrownBy(() -> dispatcher.dispatch(request, context()))
            .isInstanceOf(TransientFailureException.class);
        nanos.addAndGet(Duration.ofSeconds(10).toNanos());
        // Those called within the last minute are kept, and those idle for up to one more sweep
        // period.
        assertThat(dispatcher.partnersTracked())
            .as("partners after %d", host)
            .isLessThanOrEqualTo(13);
      }
    }

    @Test
    @DisplayName("lets requestsPerSecond through and refuses the next with the wait as Retry-After")
    void rate() {
      partner = PartnerStub.start(r -> Reply.of(200, ""));
      AtomicLong nanos = new AtomicLong();
      HttpDispatcher dispatcher =
          HttpDispatcher.builder()
              .requestsPerSecond(2)
              .maxRateWait(Duration.ZERO)
              .nanoTime(nanos::get)
              .build();
      dispatcher.dispatch(post("{}"), context());
      dispatcher.dispatch(post("{}"), context());
      assertThatThrownBy(() -> dispatcher.dispatch(post("{}"), context()))
          .isInstanceOfSatisfying(
              TransientFailureException.class,
              e -> assertThat(e.retryAfter()).contains(Duration.ofMillis(500)));
      nanos.addAndGet(Duration.ofMillis(500).toNanos());
      assertThat(dispatcher.dispatch(post("{}"), context()).statusCode()).isEqualTo(200);
      assertThat(partner.seen).hasSize(3);
    }
  }

  @Nested
  @DisplayName("Retry-After")
  class RetryAfterHeader {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    @DisplayName("reads seconds, HTTP dates (past ones as zero) and ignores garbage")
    void parse() {
      assertThat(RetryAfter.parse("120", clock)).contains(Duration.ofMinutes(2));
      assertThat(RetryAfter.parse("Thu, 01 Jan 2026 00:01:00 GMT", clock))
          .contains(Duration.ofMinutes(1));
      assertThat(RetryAfter.parse("Wed, 31 Dec 2025 00:00:00 GMT", clock)).contains(Duration.ZERO);
      assertThat(RetryAfter.parse("soon", clock)).isEmpty();
      assertThat(RetryAfter.parse(null, clock)).isEmpty();
    }
  }

  @Nested
  @DisplayName("settings")
  class Settings {
    @Test
    @DisplayName("refuse values out of bounds with the rule and the value")
    void bounds() {
      assertThatThrownBy(() -> HttpDispatcher.builder().maxConcurrentRequests(0))
          .hasMessage("maxConcurrentRequests must be between 1 and 10000, but was 0");
      assertThatThrownBy(() -> HttpDispatcher.builder().requestTimeout(Duration.ZERO))
          .hasMessage("requestTimeout must be between PT0.001S and PT1H, but was PT0S");
      assertThatThrownBy(() -> HttpDispatcher.builder().exchangeTimeout(Duration.ZERO))
          .hasMessage("exchangeTimeout must be between PT0.001S and PT1H, but was PT0S");
      assertThatThrownBy(() -> HttpDispatcher.builder().idlePartnerExpiry(Duration.ZERO))
          .hasMessage("idlePartnerExpiry must be between PT1S and PT24H, but was PT0S");
    }
  }

  static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
