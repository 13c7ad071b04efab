package dev.postoffice.core.dispatch;

import dev.postoffice.DispatchContext;
import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.PartnerRequest;
import dev.postoffice.PermanentFailureException;
import dev.postoffice.TransientFailureException;
import dev.postoffice.core.dispatch.internal.ExcerptSubscriber;
import dev.postoffice.core.dispatch.internal.PartnerLimits;
import dev.postoffice.core.dispatch.internal.Partners;
import dev.postoffice.core.dispatch.internal.RetryAfter;
import dev.postoffice.core.internal.Require;
import dev.postoffice.model.TraceParent;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends partner requests over HTTP with {@link HttpClient}: a {@link Dispatcher} for downstream
 * routes.
 *
 * <ul>
 *   <li>2xx: dispatched; the status and a bounded excerpt of the answer are kept on the entry.
 *   <li>408, 429, 5xx, I/O errors and timeouts: {@link TransientFailureException}, retried by the
 *       route's backoff and no sooner than the partner's {@code Retry-After} (seconds or HTTP
 *       date).
 *   <li>Any other status (4xx, 3xx): {@link PermanentFailureException} with the status and excerpt
 *       as reason; the entry fails at once and waits for an operator.
 * </ul>
 *
 * <p>Every request carries the entry id in an {@code Idempotency-Key} header (the same on every
 * attempt), a W3C {@code traceparent} with the entry's trace id and a new span id (and the {@code
 * tracestate} received with the trace) unless the request sets its own, and the credentials of the
 * {@link AuthProvider}, which are never stored or logged. Per partner (scheme, host and port) at
 * most {@code maxConcurrentRequests} are in flight and at most {@code requestsPerSecond} start each
 * second; a request that cannot go within the wait is not sent and is retried later. Connection
 * failures (nothing was sent) are retried in the call a few times before the entry is. A whole
 * exchange, headers and body, takes at most {@code exchangeTimeout}: a partner that stalls
 * mid-answer cannot hold a worker or a slot for longer.
 *
 * <pre>{@code
 * HttpDispatcher acme = HttpDispatcher.builder()
 *     .auth(AuthProvider.bearer(() -> tokens.current("acme")))
 *     .requestTimeout(Duration.ofSeconds(10))
 *     .maxConcurrentRequests(4)
 *     .requestsPerSecond(20)
 *     .build();
 * Route.downstream("shipments-to-acme")...dispatchWith(acme)
 * }</pre>
 *
 * <p>Thread-safe; share one instance per partner among routes so the limits hold for all of them.
 */
public final class HttpDispatcher implements Dispatcher {
  /** Connect timeout, unless set. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Time to the response headers, unless set (within {@link #DEFAULT_EXCHANGE_TIMEOUT}). */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /**
   * The most one exchange may take, unless set: from sending the request to the last byte of the
   * answer read, in-call connect retries included. Kept, with {@link #DEFAULT_PERMIT_WAIT} and
   * {@link #DEFAULT_MAX_RATE_WAIT} (36 s in all), under two thirds of the route's default lease of
   * one minute: a stage confirms its leases before a call only once they are a third of their
   * duration old, so a call may start with two thirds left, and a call that outlasted them would
   * let another node resend.
   */
  public static final Duration DEFAULT_EXCHANGE_TIMEOUT = Duration.ofSeconds(25);

  /** How long the limits of a partner without requests are kept, unless set. */
  public static final Duration DEFAULT_IDLE_PARTNER_EXPIRY = Duration.ofMinutes(10);

  /** The idempotency header, unless set. */
  public static final String DEFAULT_IDEMPOTENCY_HEADER = "Idempotency-Key";

  /** Requests in flight per partner, unless set. */
  public static final int DEFAULT_MAX_CONCURRENT_REQUESTS = 16;

  /** How long a request waits for a free slot, unless set. */
  public static final Duration DEFAULT_PERMIT_WAIT = Duration.ofSeconds(10);

  /** Requests per second per partner, unless set: 0, no limit. */
  public static final double DEFAULT_REQUESTS_PER_SECOND = 0;

  /** How long a request waits for the rate limit, unless set. */
  public static final Duration DEFAULT_MAX_RATE_WAIT = Duration.ofSeconds(1);

  /** In-call retries after a connection failure, unless set. */
  public static final int DEFAULT_CONNECT_RETRIES = 2;

  /** The wait between in-call retries, unless set. */
  public static final Duration DEFAULT_CONNECT_RETRY_WAIT = Duration.ofMillis(100);

  /** The most response bytes read for the excerpt, unless set. */
  public static final int DEFAULT_MAX_EXCERPT_BYTES = 4096;

  private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);
  private static final Set<String> RESTRICTED =
      Set.of("connection", "content-length", "expect", "host", "upgrade");

  /**
   * Ends exchanges at their deadline ({@link Builder#exchangeTimeout}). One daemon thread for every
   * dispatcher, only while exchanges are in flight: it only cancels bodies, a finished exchange
   * removes its timer from the queue, and the thread ends after a few idle seconds (so an
   * application redeployed in a container leaves no thread of this library behind).
   */
  private static final ScheduledThreadPoolExecutor DEADLINES = deadlines();

  private final HttpClient client;
  private final Builder settings;
  private final Partners partners;
  private final Retry connectRetry;

  private HttpDispatcher(Builder b) {
    this.settings = b.copy();
    this.partners =
        new Partners(
            partner ->
                new PartnerLimits(
                    partner,
                    settings.maxConcurrentRequests,
                    settings.permitWait,
                    settings.requestsPerSecond,
                    settings.burst,
                    settings.maxRateWait,
                    settings.nanoTime),
            settings.idlePartnerExpiry,
            settings.nanoTime);
    this.client =
        b.client != null
            ? b.client
            : HttpClient.newBuilder()
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    this.connectRetry =
        Retry.of(
            "postoffice-http-connect",
            RetryConfig.custom()
                .maxAttempts(1 + b.connectRetries)
                .intervalFunction(IntervalFunction.of(b.connectRetryWait))
                .retryOnException(
                    e -> e instanceof ConnectException || e instanceof HttpConnectTimeoutException)
                .build());
  }

  private static ScheduledThreadPoolExecutor deadlines() {
    ScheduledThreadPoolExecutor timers =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "postoffice-http-deadlines");
              t.setDaemon(true);
              t.setContextClassLoader(null);
              return t;
            });
    timers.setRemoveOnCancelPolicy(true); // else each cancelled timer waits out its delay queued
    timers.setKeepAliveTime(5, TimeUnit.SECONDS);
    timers.allowCoreThreadTimeOut(true);
    return timers;
  }

  /**
   * Starts describing a dispatcher.
   *
   * @return a new builder holding the defaults
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns a dispatcher with the defaults and no credentials.
   *
   * @return the dispatcher
   */
  public static HttpDispatcher ofDefaults() {
    return builder().build();
  }

  @Override
  public DispatchResult dispatch(PartnerRequest request, DispatchContext context) {
    URI uri = request.uri();
    String partner = uri.getScheme() + "://" + uri.getAuthority();
    String target =
        request.method() + " " + partner + (uri.getRawPath() == null ? "" : uri.getRawPath());
    Partners.Slot slot = partners.acquire(partner);
    long started = System.nanoTime();
    try {
      HttpRequest http = build(request, context);
      long deadline = started + settings.exchangeTimeout.toNanos();
      HttpResponse<String> response =
          connectRetry.executeCheckedSupplier(() -> exchange(http, target, deadline));
      String excerpt = cut(response.body());
      int status = response.statusCode();
      log.debug(
          "{} -> {} in {} ms (entry {}, attempt {})",
          target,
          status,
          (System.nanoTime() - started) / 1_000_000,
          context.entryId(),
          context.attempt());
      if (status >= 200 && status < 300) {
        return new DispatchResult(status, excerpt);
      }
      String reason =
          "partner answered "
              + status
              + " to "
              + target
              + (excerpt.isEmpty() ? "" : ": " + excerpt);
      if (status == 408 || status == 429 || status >= 500) {
        throw new TransientFailureException(
            cut(reason),
            RetryAfter.parse(
                    response.headers().firstValue("Retry-After").orElse(null), settings.clock)
                .orElse(null),
            null);
      }
      throw new PermanentFailureException(cut(reason));
    } catch (HttpTimeoutException e) {
      throw new TransientFailureException(
          "no answer to "
              + target
              + " within "
              + (e instanceof HttpConnectTimeoutException
                  ? "the connect timeout " + settings.connectTimeout
                  : "the request timeout " + settings.requestTimeout),
          null,
          e);
    } catch (IOException e) {
      throw new TransientFailureException(target + " failed: " + e, null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientFailureException(target + " interrupted", null, e);
    } catch (RuntimeException e) {
      throw e;
    } catch (Throwable e) {
      throw new TransientFailureException(target + " failed: " + e, null, e);
    } finally {
      slot.close();
    }
  }

  /**
   * Sends one request and reads its answer (headers and excerpt) by the deadline. The request
   * timeout only bounds the wait for the headers; waiting on a future that completes with the body
   * bounds the whole exchange, so a partner that stalls after its headers cannot hold this worker
   * and the partner's slot.
   */
  private HttpResponse<String> exchange(HttpRequest http, String target, long deadline)
      throws IOException, InterruptedException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw pastDeadline(target, null);
    }
    // The wait for the headers ends at the deadline too: an attempt after a connect retry gets
    // what is left of it as its request timeout when that is less than the configured one.
    boolean shortened = http.timeout().map(t -> t.toNanos() > remaining).orElse(true);
    HttpRequest attempt =
        shortened
            ? HttpRequest.newBuilder(http, (name, value) -> true)
                .timeout(Duration.ofNanos(remaining))
                .build()
            : http;
    ExcerptSubscriber body = new ExcerptSubscriber(settings.maxExcerptBytes);
    // A blocking send, not sendAsync(...).get(): sendAsync hands each step of the exchange to the
    // client's executor and back, which doubled the time of a call on loopback (466 against 208
    // µs, measured). The deadline still covers the body: a timer abandons it, which fails the send
    // and closes the connection rather than reading on.
    ScheduledFuture<?> timer = DEADLINES.schedule(body::abandon, remaining, TimeUnit.NANOSECONDS);
    try {
      return client.send(attempt, info -> body);
    } catch (HttpTimeoutException e) {
      if (shortened && !(e instanceof HttpConnectTimeoutException)) {
        body.abandon();
        throw pastDeadline(target, e);
      }
      throw e;
    } catch (IOException | RuntimeException e) {
      if (body.abandoned()) {
        throw pastDeadline(target, e);
      }
      throw e;
    } catch (InterruptedException e) {
      body.abandon();
      throw e;
    } finally {
      timer.cancel(false);
    }
  }

  private TransientFailureException pastDeadline(String target, Exception cause) {
    return new TransientFailureException(
        "no complete answer from "
            + target
            + " within the exchange timeout "
            + settings.exchangeTimeout
            + " (headers and body); the exchange was abandoned",
        null,
        cause);
  }

  private HttpRequest build(PartnerRequest request, DispatchContext context) {
    HttpRequest.Builder http =
        HttpRequest.newBuilder(request.uri()).timeout(settings.requestTimeout);
    boolean hasType = false;
    boolean hasKey = false;
    boolean hasTrace = false;
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      String name = header.getKey().toLowerCase(Locale.ROOT);
      if (RESTRICTED.contains(name)) {
        continue;
      }
      hasType |= name.equals("content-type");
      hasTrace |= name.equals(TraceParent.HEADER);
      hasKey |=
          settings.idempotencyHeader != null && name.equalsIgnoreCase(settings.idempotencyHeader);
      http.setHeader(header.getKey(), header.getValue());
    }
    if (!hasTrace) {
      // The partner's tracing sees this request as a span of PostOffice's hop in the same trace.
      context.traceparent().ifPresent(v -> http.setHeader(TraceParent.HEADER, v));
      context.tracestate().ifPresent(v -> http.setHeader(TraceParent.STATE_HEADER, v));
    }
    if (settings.idempotencyHeader != null && !hasKey) {
      http.setHeader(settings.idempotencyHeader, context.idempotencyKey());
    }
    if (request.body() != null && !hasType) {
      http.setHeader("Content-Type", request.body().contentType());
    }
    Map<String, String> auth = settings.auth.headers(request);
    if (auth != null) {
      auth.forEach(http::setHeader);
    }
    http.method(
        request.method(),
        request.body() == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(request.body().bytes()));
    return http.build();
  }

  private static String cut(String text) {
    return text.length() > DispatchResult.MAX_EXCERPT
        ? text.substring(0, DispatchResult.MAX_EXCERPT)
        : text;
  }

  /** The partners whose limits are kept, for tests. */
  int partnersTracked() {
    return partners.size();
  }

  @Override
  public String toString() {
    return "HttpDispatcher[maxConcurrentRequests="
        + settings.maxConcurrentRequests
        + ", requestsPerSecond="
        + settings.requestsPerSecond
        + "]";
  }

  /** Builds an {@link HttpDispatcher}. Not thread-safe; each setter checks its value. */
  public static final class Builder {
    private HttpClient client;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private Duration exchangeTimeout = DEFAULT_EXCHANGE_TIMEOUT;
    private String idempotencyHeader = DEFAULT_IDEMPOTENCY_HEADER;
    private Duration idlePartnerExpiry = DEFAULT_IDLE_PARTNER_EXPIRY;
    private int maxConcurrentRequests = DEFAULT_MAX_CONCURRENT_REQUESTS;
    private Duration permitWait = DEFAULT_PERMIT_WAIT;
    private double requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
    private int burst = 1;
    private Duration maxRateWait = DEFAULT_MAX_RATE_WAIT;
    private int connectRetries = DEFAULT_CONNECT_RETRIES;
    private Duration connectRetryWait = DEFAULT_CONNECT_RETRY_WAIT;
    private int maxExcerptBytes = DEFAULT_MAX_EXCERPT_BYTES;
    private AuthProvider auth = AuthProvider.NONE;
    private Clock clock = Clock.systemUTC();
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    private Builder copy() {
      Builder b = new Builder();
      b.client = client;
      b.connectTimeout = connectTimeout;
      b.requestTimeout = requestTimeout;
      b.exchangeTimeout = exchangeTimeout;
      b.idempotencyHeader = idempotencyHeader;
      b.idlePartnerExpiry = idlePartnerExpiry;
      b.maxConcurrentRequests = maxConcurrentRequests;
      b.permitWait = permitWait;
      b.requestsPerSecond = requestsPerSecond;
      b.burst = burst;
      b.maxRateWait = maxRateWait;
      b.connectRetries = connectRetries;
      b.connectRetryWait = connectRetryWait;
      b.maxExcerptBytes = maxExcerptBytes;
      b.auth = auth;
      b.clock = clock;
      b.nanoTime = nanoTime;
      return b;
    }

    /**
     * Uses a client the host configured (proxy, TLS, HTTP/2); the connect timeout setting is then
     * unused.
     *
     * @param value the client; default one built with the connect timeout and no redirects
     * @return this builder
     */
    public Builder httpClient(HttpClient value) {
      client = Require.nonNull(value, "httpClient");
      return this;
    }

    /**
     * Sets the connect timeout.
     *
     * @param value 1 ms to 10 minutes; default 5 s
     * @return this builder
     */
    public Builder connectTimeout(Duration value) {
      connectTimeout =
          Require.between(value, Duration.ofMillis(1), Duration.ofMinutes(10), "connectTimeout");
      return this;
    }

    /**
     * Sets how long to wait for the response headers; the whole exchange is bounded by {@link
     * #exchangeTimeout(Duration)}.
     *
     * @param value 1 ms to 1 h; default 30 s
     * @return this builder
     */
    public Builder requestTimeout(Duration value) {
      requestTimeout =
          Require.between(value, Duration.ofMillis(1), Duration.ofHours(1), "requestTimeout");
      return this;
    }

    /**
     * Sets the most one exchange with the partner may take: from sending the request to the last
     * byte of the answer read (headers and body), in-call connect retries included. The request
     * timeout bounds the wait for the headers only; this deadline also ends a partner that sends
     * its headers and then stalls, which would otherwise hold a dispatch worker and a partner slot
     * for good. When it passes, the exchange is abandoned (its connection closed) and the dispatch
     * fails as transient, to be retried by the route's backoff. Keep {@code permitWait +
     * maxRateWait + exchangeTimeout} under the route's lease, or another node may resend.
     *
     * @param value 1 ms to 1 h; default 25 s ({@link #DEFAULT_EXCHANGE_TIMEOUT})
     * @return this builder
     */
    public Builder exchangeTimeout(Duration value) {
      exchangeTimeout =
          Require.between(value, Duration.ofMillis(1), Duration.ofHours(1), "exchangeTimeout");
      return this;
    }

    /**
     * Sets the header carrying the entry id as idempotency key; a request that sets it itself keeps
     * its own.
     *
     * @param value the header name, or null for none; default {@value #DEFAULT_IDEMPOTENCY_HEADER}
     * @return this builder
     */
    public Builder idempotencyHeader(String value) {
      idempotencyHeader = value == null ? null : Require.nonBlank(value, "idempotencyHeader");
      return this;
    }

    /**
     * Sets how many requests may be in flight per partner, and how long a request waits for a slot.
     *
     * @param value 1 to 10000; default {@value #DEFAULT_MAX_CONCURRENT_REQUESTS}
     * @return this builder
     */
    public Builder maxConcurrentRequests(int value) {
      maxConcurrentRequests = Require.between(value, 1, 10_000, "maxConcurrentRequests");
      return this;
    }

    /**
     * Sets how long a request waits for a free slot before it is given up (and retried later).
     *
     * @param value 0 to 10 minutes; default 10 s
     * @return this builder
     */
    public Builder permitWait(Duration value) {
      permitWait = Require.between(value, Duration.ZERO, Duration.ofMinutes(10), "permitWait");
      return this;
    }

    /**
     * Sets how many requests may start per second per partner, with a burst of the same size (at
     * least 1).
     *
     * @param value 0 (no limit) to 100000; default 0
     * @return this builder
     */
    public Builder requestsPerSecond(double value) {
      requestsPerSecond = Require.between(value, 0, 100_000, "requestsPerSecond");
      burst = Math.max(1, (int) Math.ceil(value));
      return this;
    }

    /**
     * Sets how long the limits of a partner (scheme, host and port) are kept after its last
     * request. A dispatcher that calls many hosts (one per tenant, say) would otherwise keep every
     * host it ever called. A partner is dropped only with no request in flight or waiting, and its
     * limits start afresh on its next request (a full rate bucket, which it would have refilled by
     * then anyway).
     *
     * @param value 1 s to 1 day; default 10 minutes ({@link #DEFAULT_IDLE_PARTNER_EXPIRY})
     * @return this builder
     */
    public Builder idlePartnerExpiry(Duration value) {
      idlePartnerExpiry =
          Require.between(value, Duration.ofSeconds(1), Duration.ofDays(1), "idlePartnerExpiry");
      return this;
    }

    /**
     * Sets how long a request waits for the rate limit before it is given up (and retried later).
     *
     * @param value 0 to 1 minute; default 1 s
     * @return this builder
     */
    public Builder maxRateWait(Duration value) {
      maxRateWait = Require.between(value, Duration.ZERO, Duration.ofMinutes(1), "maxRateWait");
      return this;
    }

    /**
     * Sets the in-call retries after a connection failure (the request was not sent), with
     * resilience4j Retry.
     *
     * @param retries 0 to 10; default {@value #DEFAULT_CONNECT_RETRIES}
     * @param wait the wait between them, 1 ms to 10 s; default 100 ms
     * @return this builder
     */
    public Builder connectRetries(int retries, Duration wait) {
      connectRetries = Require.between(retries, 0, 10, "connectRetries");
      connectRetryWait =
          Require.between(wait, Duration.ofMillis(1), Duration.ofSeconds(10), "connectRetryWait");
      return this;
    }

    /**
     * Sets how many response bytes are read for the excerpt kept on the entry (cut to {@value
     * DispatchResult#MAX_EXCERPT} characters).
     *
     * @param value 0 to 1 MiB; default {@value #DEFAULT_MAX_EXCERPT_BYTES}
     * @return this builder
     */
    public Builder maxExcerptBytes(int value) {
      maxExcerptBytes = Require.between(value, 0, 1 << 20, "maxExcerptBytes");
      return this;
    }

    /**
     * Sets the source of credentials, asked on every attempt.
     *
     * @param value the provider; default {@link AuthProvider#NONE}
     * @return this builder
     */
    public Builder auth(AuthProvider value) {
      auth = Require.nonNull(value, "auth");
      return this;
    }

    /**
     * Sets the clock HTTP-date {@code Retry-After} values are measured from.
     *
     * @param value the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Require.nonNull(value, "clock");
      return this;
    }

    /**
     * Sets the nanosecond time source of the rate limit and of {@link #idlePartnerExpiry(Duration)}
     * (tests pass a controllable one). The exchange timeout is measured on the system's own, as the
     * client's timeouts are.
     *
     * @param value the source; default {@code System::nanoTime}
     * @return this builder
     */
    public Builder nanoTime(LongSupplier value) {
      nanoTime = Require.nonNull(value, "nanoTime");
      return this;
    }

    /**
     * Builds the dispatcher.
     *
     * @return the dispatcher
     */
    public HttpDispatcher build() {
      return new HttpDispatcher(this);
    }
  }
}
