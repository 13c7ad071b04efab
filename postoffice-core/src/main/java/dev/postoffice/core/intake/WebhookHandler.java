package dev.postoffice.core.intake;

import dev.postoffice.BacklogFullException;
import dev.postoffice.Ingestor;
import dev.postoffice.Intake;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.core.intake.internal.BoundedBody;
import dev.postoffice.core.intake.internal.DedupKeys;
import dev.postoffice.core.intake.internal.WebhookAnswers;
import dev.postoffice.core.internal.Require;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceParent;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes partner webhooks for one or more upstream routes, independent of any web framework: give it
 * a {@link WebhookRequest}, send back the {@link WebhookResponse}. {@link WebhookServer} binds it
 * on the JDK HTTP server; any other framework needs a few lines.
 *
 * <p>It answers 2xx only once the intake has stored the message durably as {@code JUST_IN}: 202
 * with the entry id for a new message, 200 with {@code "duplicate": true} for a dedup key seen
 * before (recorded as {@code DUPLICATE}, not processed). Refusals, checked in this order: unknown
 * path 404, method other than POST 405, content type not allowed 415, declared {@code
 * Content-Length} over the limit 413 (body not read), route not started 503, body over the limit
 * 413 (read stopped at limit + 1 byte), bad signature 401 (whose body says only {@code "signature
 * refused"}: the caller is not authenticated, so the reason is logged at INFO instead), dedup field
 * wanted from a body that is not JSON 400, backlog over the high-water mark 503 with {@code
 * Retry-After}, store unavailable 503. None of them stores anything, except a body accepted here
 * but over the route's own {@code maxPayloadBytes}, which intake records as a {@code REJECTED}
 * entry without its body (answered 413). Refusals are logged without body or secrets.
 *
 * <p>A route that takes only some event types ({@link WebhookRoute.Builder#acceptEvents}) answers a
 * request of another type 200 with {@code "filtered": "<reason>"}, once it is stored as a {@code
 * FILTERED} entry (traceable, never processed); the signature is checked first.
 *
 * <pre>{@code
 * WebhookHandler webhooks = WebhookHandler.builder()
 *     .route(WebhookRoute.builder("acme-orders").signature(WebhookSignature.github(secrets)).build())
 *     .build();
 * PostOffice.builder()...ingestor("acme-orders", webhooks.ingestor("acme-orders"))...
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class WebhookHandler {
  /** The Retry-After sent when the store is unavailable or the route not started, unless set. */
  public static final Duration DEFAULT_UNAVAILABLE_RETRY_AFTER = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(WebhookHandler.class);

  private final Map<String, WebhookRoute> byPath;
  private final Map<RouteId, Intake> intakes = new ConcurrentHashMap<>();
  private final Clock clock;
  private final Duration unavailableRetryAfter;

  private WebhookHandler(Builder b) {
    this.byPath = Map.copyOf(b.byPath);
    this.clock = b.clock;
    this.unavailableRetryAfter = b.unavailableRetryAfter;
  }

  /**
   * Starts describing a handler.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns an ingestor to register with {@code PipelineBuilder.ingestor(route, ...)}: the pipeline
   * starts it with the route's intake, and the handler answers that route from then until it is
   * closed.
   *
   * @param route the route's name
   * @return the ingestor
   * @throws IllegalArgumentException if the handler has no such route
   */
  public Ingestor ingestor(String route) {
    RouteId id = known(RouteId.of(Require.nonNull(route, "route")));
    return new Ingestor() {
      private volatile Intake attached;

      @Override
      public void start(Intake intake) {
        if (!id.equals(Require.nonNull(intake, "intake").route())) {
          throw new IllegalArgumentException(
              "intake must feed route " + id + ", but feeds " + intake.route());
        }
        attach(intake);
        attached = intake;
      }

      @Override
      public void close() {
        if (attached != null) {
          intakes.remove(id, attached);
        }
      }

      @Override
      public String toString() {
        return "WebhookIngestor[" + id + "]";
      }
    };
  }

  /**
   * Connects a route to an intake directly, such as {@code pipeline.intake("acme-orders")}.
   *
   * @param intake the intake of a route this handler has
   * @return this handler
   * @throws IllegalArgumentException if the handler has no such route
   */
  public WebhookHandler attach(Intake intake) {
    Require.nonNull(intake, "intake");
    intakes.put(known(intake.route()), intake);
    return this;
  }

  private RouteId known(RouteId id) {
    if (byPath.values().stream().noneMatch(r -> r.route().equals(id))) {
      throw new IllegalArgumentException(
          "route must be one of the handler's routes "
              + byPath.values().stream().map(r -> r.route().value()).sorted().toList()
              + ", but was "
              + id);
    }
    return id;
  }

  /**
   * Handles one request. Never throws for a bad request: every outcome is a response.
   *
   * @param request the request
   * @return the answer to send
   */
  public WebhookResponse handle(WebhookRequest request) {
    Received received = receive(request);
    return received.answer() != null ? received.answer() : store(received);
  }

  /**
   * A request read up to where storing begins: either its answer already (a refusal), or its route,
   * intake and body. {@link WebhookServer} reads requests and stores them in two steps so that
   * reading, which a slow client can drag out, is bounded by its deadline, and storing is never cut
   * short by it.
   */
  record Received(
      WebhookResponse answer,
      WebhookRequest request,
      WebhookRoute route,
      Intake intake,
      byte[] body,
      String contentType,
      String mediaType) {
    static Received answered(WebhookResponse answer) {
      return new Received(answer, null, null, null, null, null, null);
    }
  }

  /** Checks a request and reads its body, stopping at the first refusal; stores nothing. */
  Received receive(WebhookRequest request) {
    String path =
        request.path().length() > 1 && request.path().endsWith("/")
            ? request.path().substring(0, request.path().length() - 1)
            : request.path();
    WebhookRoute route = byPath.get(path);
    if (route == null) {
      return Received.answered(refuse(404, null, "no webhook route at " + path, Map.of()));
    }
    if (!"POST".equalsIgnoreCase(request.method())) {
      return Received.answered(
          refuse(
              405, route, "method " + request.method() + " not allowed", Map.of("Allow", "POST")));
    }
    String contentType = request.header("Content-Type").orElse("");
    String mediaType = contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
    if (!route.contentTypes().contains(mediaType)) {
      return Received.answered(
          refuse(
              415,
              route,
              "content type '"
                  + mediaType
                  + "' not allowed; accepted: "
                  + route.contentTypes().stream().sorted().toList(),
              Map.of()));
    }
    if (request.contentLength() > route.maxBodyBytes()) {
      return Received.answered(
          refuse(
              413,
              route,
              "declared body of "
                  + request.contentLength()
                  + " bytes is over the limit of "
                  + route.maxBodyBytes()
                  + " bytes",
              Map.of()));
    }
    Intake intake = intakes.get(route.route());
    if (intake == null) {
      return Received.answered(
          refuse(503, route, "route is not started", retryAfter(unavailableRetryAfter)));
    }
    byte[] body;
    try {
      body = BoundedBody.read(request.body(), route.maxBodyBytes());
    } catch (IOException e) {
      return Received.answered(
          refuse(
              400,
              route,
              "body could not be read: "
                  + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()),
              Map.of()));
    }
    if (body == null) {
      return Received.answered(
          refuse(
              413,
              route,
              "body is over the limit of " + route.maxBodyBytes() + " bytes",
              Map.of()));
    }
    return new Received(null, request, route, intake, body, contentType, mediaType);
  }

  /** Checks the signature and the dedup key of a request read whole, and stores it. */
  WebhookResponse store(Received received) {
    WebhookRoute route = received.route();
    WebhookRequest request = received.request();
    byte[] body = received.body();
    if (route.signature() != null) {
      Optional<String> bad = route.signature().check(request, body, clock.instant());
      if (bad.isPresent()) {
        // The caller is not authenticated: it learns nothing of why (how many secrets, which
        // header); the operator reads the reason in the log.
        log.info(
            "webhook for route {} refused with 401: signature refused: {}",
            route.route(),
            bad.get());
        return WebhookAnswers.error(401, "signature refused", Map.of());
      }
    }
    String dedupKey;
    try {
      dedupKey = dedupKey(route, request, body);
    } catch (IllegalArgumentException e) {
      return refuse(400, route, e.getMessage(), Map.of());
    }
    String contentType = received.contentType();
    RawMessage message =
        new RawMessage(
            Payload.of(body, contentType.isBlank() ? received.mediaType() : contentType),
            kept(route, request),
            dedupKey);
    Optional<String> filtered =
        route.eventFilter() == null
            ? Optional.empty()
            : route.eventFilter().reasonToFilter(request);
    if (filtered.isPresent()) {
      return storeFiltered(route, received.intake(), message, filtered.get());
    }
    return store(route, received.intake(), message);
  }

  /** Records an event the route does not take as Filtered, and answers 200. */
  private WebhookResponse storeFiltered(
      WebhookRoute route, Intake intake, RawMessage message, String reason) {
    IntakeReceipt receipt;
    try {
      receipt = intake.submitFiltered(message, reason);
    } catch (RejectedInputException e) {
      return refuse(413, route, e.getMessage(), Map.of());
    } catch (RuntimeException e) {
      log.warn("webhook for route {} not stored, answered 503: {}", route.route(), e.toString());
      return WebhookAnswers.error(
          503, "message not stored; try again", retryAfter(unavailableRetryAfter));
    }
    log.debug("webhook for route {} filtered: {}", route.route(), reason);
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("entryId", receipt.entryId().value());
    json.put("traceId", receipt.traceId().value());
    json.put("duplicate", receipt.isDuplicate());
    json.put("filtered", reason);
    return WebhookAnswers.json(
        200, json, Map.of(WebhookResponse.ENTRY_ID_HEADER, receipt.entryId().value()));
  }

  private WebhookResponse store(WebhookRoute route, Intake intake, RawMessage message) {
    IntakeReceipt receipt;
    try {
      receipt = intake.submit(message);
    } catch (BacklogFullException e) {
      return refuse(
          503,
          route,
          "backlog " + e.backlog() + " is over the high-water mark " + e.highWaterMark(),
          retryAfter(e.retryAfter()));
    } catch (RejectedInputException e) {
      return refuse(413, route, e.getMessage(), Map.of());
    } catch (RuntimeException e) {
      log.warn("webhook for route {} not stored, answered 503: {}", route.route(), e.toString());
      return WebhookAnswers.error(
          503, "message not stored; try again", retryAfter(unavailableRetryAfter));
    }
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("entryId", receipt.entryId().value());
    json.put("traceId", receipt.traceId().value());
    json.put("duplicate", receipt.isDuplicate());
    if (receipt.isDuplicate()) {
      json.put("duplicateOf", receipt.duplicateOf().value());
      log.info(
          "webhook for route {} is a duplicate of entry {}", route.route(), receipt.duplicateOf());
    }
    return WebhookAnswers.json(
        receipt.isDuplicate() ? 200 : 202,
        json,
        Map.of(WebhookResponse.ENTRY_ID_HEADER, receipt.entryId().value()));
  }

  private static String dedupKey(WebhookRoute route, WebhookRequest request, byte[] body) {
    Optional<String> key = Optional.empty();
    if (route.dedupHeader() != null) {
      key = request.header(route.dedupHeader()).filter(v -> !v.isBlank());
    } else if (route.dedupJsonPointer() != null) {
      key = DedupKeys.fromJson(body, route.dedupJsonPointer());
    } else {
      return null;
    }
    if (key.isEmpty()) {
      log.info(
          "webhook for route {} has no dedup key ({}); stored without deduplication",
          route.route(),
          route.dedupHeader() != null
              ? "header " + route.dedupHeader()
              : "field " + route.dedupJsonPointer());
      return null;
    }
    return DedupKeys.fit(key.get().trim());
  }

  private static Map<String, String> kept(WebhookRoute route, WebhookRequest request) {
    Map<String, String> kept = new HashMap<>();
    for (String name : route.keptHeaders()) {
      request.header(name).ifPresent(v -> kept.put(name, v));
    }
    // The W3C trace context is always kept: the message joins the partner's trace (an invalid one
    // is ignored at intake, never refused). Several tracestate lines are one list (the spec's
    // rule).
    request.header(TraceParent.HEADER).ifPresent(v -> kept.put(TraceParent.HEADER, v));
    List<String> state = request.headers().get(TraceParent.STATE_HEADER);
    if (state != null && !state.isEmpty()) {
      kept.put(TraceParent.STATE_HEADER, String.join(",", state));
    }
    return kept;
  }

  private static Map<String, String> retryAfter(Duration delay) {
    long seconds = Math.max(1, (delay.toMillis() + 999) / 1000);
    return Map.of("Retry-After", Long.toString(seconds));
  }

  private static WebhookResponse refuse(
      int status, WebhookRoute route, String reason, Map<String, String> headers) {
    String where = route == null ? "" : " for route " + route.route();
    if (status == 401 || status == 413 || status == 503) {
      log.warn("webhook{} refused with {}: {}", where, status, reason);
    } else {
      log.info("webhook{} refused with {}: {}", where, status, reason);
    }
    return WebhookAnswers.error(status, reason, headers);
  }

  /** Builds a {@link WebhookHandler}. Not thread-safe. */
  public static final class Builder {
    private final Map<String, WebhookRoute> byPath = new LinkedHashMap<>();
    private final List<RouteId> routes = new ArrayList<>();
    private Clock clock = Clock.systemUTC();
    private Duration unavailableRetryAfter = DEFAULT_UNAVAILABLE_RETRY_AFTER;

    private Builder() {}

    /**
     * Adds a route.
     *
     * @param route the route's webhook settings
     * @return this builder
     * @throws IllegalArgumentException if the route or its path is already taken
     */
    public Builder route(WebhookRoute route) {
      Require.nonNull(route, "route");
      if (routes.contains(route.route())) {
        throw new IllegalArgumentException(
            "route must be added once, but " + route.route() + " was added twice");
      }
      if (byPath.containsKey(route.path())) {
        throw new IllegalArgumentException(
            "path must be unique, but "
                + route.path()
                + " is taken by route "
                + byPath.get(route.path()).route());
      }
      routes.add(route.route());
      byPath.put(route.path(), route);
      return this;
    }

    /**
     * Sets the clock signature timestamps are checked against.
     *
     * @param value the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Require.nonNull(value, "clock");
      return this;
    }

    /**
     * Sets the {@code Retry-After} sent when the store is unavailable or the route not started.
     *
     * @param value 1 s to 1 h; default 5 s
     * @return this builder
     */
    public Builder unavailableRetryAfter(Duration value) {
      unavailableRetryAfter =
          Require.between(
              value, Duration.ofSeconds(1), Duration.ofHours(1), "unavailableRetryAfter");
      return this;
    }

    /**
     * Builds the handler.
     *
     * @return the handler
     * @throws IllegalArgumentException if no route was added
     */
    public WebhookHandler build() {
      if (byPath.isEmpty()) {
        throw new IllegalArgumentException("routes must hold at least 1 route, but was empty");
      }
      return new WebhookHandler(this);
    }
  }
}
