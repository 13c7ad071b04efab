package dev.postoffice.core.intake;

import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.internal.Require;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How one upstream route takes webhooks: its path, size limit, allowed content types, dedup key,
 * signature check and the event types it takes. Immutable; make one with {@link #builder(String)}.
 *
 * <pre>{@code
 * WebhookRoute orders = WebhookRoute.builder("acme-orders")
 *     .signature(WebhookSignature.github(List.of(secret)))
 *     .dedupHeader("X-GitHub-Delivery")
 *     .build();
 * }</pre>
 *
 * @param route the upstream route fed
 * @param path the request path answered; default {@code /webhooks/<route>}
 * @param maxBodyBytes the largest body accepted; larger ones get 413 without being read
 * @param contentTypes the media types accepted (lower case, without parameters)
 * @param dedupHeader the header holding the partner's delivery id, or null
 * @param dedupJsonPointer the JSON pointer (such as {@code /id}) to the body field holding it, or
 *     null
 * @param signature the signature check, or null for none
 * @param keptHeaders request headers copied onto the stored message (such as an event type header);
 *     the W3C {@code traceparent} and {@code tracestate} are kept without being named
 * @param eventFilter the event types taken, or null to take every request
 */
public record WebhookRoute(
    RouteId route,
    String path,
    int maxBodyBytes,
    Set<String> contentTypes,
    String dedupHeader,
    String dedupJsonPointer,
    WebhookSignature signature,
    Set<String> keptHeaders,
    WebhookEventFilter eventFilter) {
  /** The path prefix of routes whose path is not set. */
  public static final String DEFAULT_PATH_PREFIX = "/webhooks/";

  /**
   * The largest body accepted, unless set: the same as {@link
   * RouteSettings#DEFAULT_MAX_PAYLOAD_BYTES}.
   */
  public static final int DEFAULT_MAX_BODY_BYTES = RouteSettings.DEFAULT_MAX_PAYLOAD_BYTES;

  /** The media types accepted, unless set. */
  public static final Set<String> DEFAULT_CONTENT_TYPES = Set.of(Payload.JSON);

  /**
   * Checks the values.
   *
   * @throws NullPointerException naming the first null value
   * @throws IllegalArgumentException naming the first value out of bounds
   */
  public WebhookRoute {
    Require.nonNull(route, "route");
    Require.nonBlank(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path must start with '/', but was '" + path + "'");
    }
    Require.between(maxBodyBytes, 1, Integer.MAX_VALUE - 8, "maxBodyBytes");
    Require.nonNull(contentTypes, "contentTypes");
    if (contentTypes.isEmpty()) {
      throw new IllegalArgumentException(
          "contentTypes must hold at least 1 media type, but was empty");
    }
    contentTypes =
        Set.copyOf(contentTypes.stream().map(t -> t.trim().toLowerCase(Locale.ROOT)).toList());
    if (dedupHeader != null && dedupJsonPointer != null) {
      throw new IllegalArgumentException(
          "dedupHeader and dedupJsonPointer are exclusive, but both were set ("
              + dedupHeader
              + ", "
              + dedupJsonPointer
              + ")");
    }
    if (dedupJsonPointer != null && !dedupJsonPointer.startsWith("/")) {
      throw new IllegalArgumentException(
          "dedupJsonPointer must start with '/', but was '" + dedupJsonPointer + "'");
    }
    keptHeaders = keptHeaders == null ? Set.of() : Set.copyOf(keptHeaders);
  }

  /**
   * Returns a builder for a route, holding the defaults.
   *
   * @param route the upstream route's name
   * @return a new builder
   */
  public static Builder builder(String route) {
    return new Builder(route);
  }

  /** Builds a {@link WebhookRoute}. Not thread-safe; values are checked by {@link #build()}. */
  public static final class Builder {
    private final String route;
    private String path;
    private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Set<String> contentTypes = DEFAULT_CONTENT_TYPES;
    private String dedupHeader;
    private String dedupJsonPointer;
    private WebhookSignature signature;
    private WebhookEventFilter eventFilter;
    private final Set<String> keptHeaders = new LinkedHashSet<>();

    private Builder(String route) {
      this.route = route;
    }

    /**
     * Sets the path answered.
     *
     * @param value the path; default {@code /webhooks/<route>}
     * @return this builder
     */
    public Builder path(String value) {
      path = value;
      return this;
    }

    /**
     * Sets the largest body accepted. Keep it at or below the route's {@code maxPayloadBytes}: a
     * body between the two is recorded by the intake as a {@code REJECTED} entry (and answered
     * 413).
     *
     * @param value bytes, 1 or more; default {@link #DEFAULT_MAX_BODY_BYTES} (1 MiB)
     * @return this builder
     */
    public Builder maxBodyBytes(int value) {
      maxBodyBytes = value;
      return this;
    }

    /**
     * Sets the media types accepted; others get 415. Parameters such as {@code charset} are
     * ignored.
     *
     * @param values the media types; default {@code application/json}
     * @return this builder
     */
    public Builder contentTypes(String... values) {
      contentTypes = new LinkedHashSet<>(List.of(values));
      return this;
    }

    /**
     * Takes the dedup key from a header, such as {@code X-GitHub-Delivery} or {@code webhook-id}.
     *
     * @param name the header; default none (no dedup)
     * @return this builder
     */
    public Builder dedupHeader(String name) {
      dedupHeader = name;
      return this;
    }

    /**
     * Takes the dedup key from a top-level field of the JSON body.
     *
     * @param name the field's name, such as {@code id}; default none (no dedup)
     * @return this builder
     */
    public Builder dedupJsonField(String name) {
      dedupJsonPointer = name == null ? null : "/" + name.replace("~", "~0").replace("/", "~1");
      return this;
    }

    /**
     * Takes the dedup key from a field of the JSON body given by a JSON pointer (RFC 6901).
     *
     * @param pointer the pointer, such as {@code /data/id}; default none (no dedup)
     * @return this builder
     */
    public Builder dedupJsonPointer(String pointer) {
      dedupJsonPointer = pointer;
      return this;
    }

    /**
     * Sets the signature check; requests failing it get 401.
     *
     * @param value the check; default none (unsigned)
     * @return this builder
     */
    public Builder signature(WebhookSignature value) {
      signature = value;
      return this;
    }

    /**
     * Takes only some event types: requests of other types are answered 200 and recorded as {@code
     * Filtered} entries (see {@link WebhookEventFilter}). The header is also kept on the stored
     * message.
     *
     * @param header the header naming the event type, such as {@code X-GitHub-Event}
     * @param types the event types processed; default every request is processed
     * @return this builder
     */
    public Builder acceptEvents(String header, String... types) {
      eventFilter = new WebhookEventFilter(header, Set.of(types));
      keptHeaders.add(header);
      return this;
    }

    /**
     * Copies request headers onto the stored message, such as an event type header.
     *
     * @param names the headers; default none
     * @return this builder
     */
    public Builder keepHeaders(String... names) {
      keptHeaders.addAll(List.of(names));
      return this;
    }

    /**
     * Builds the route's settings.
     *
     * @return the settings
     * @throws IllegalArgumentException naming the first value out of bounds
     */
    public WebhookRoute build() {
      RouteId id = RouteId.of(route);
      return new WebhookRoute(
          id,
          path == null ? DEFAULT_PATH_PREFIX + id.value() : path,
          maxBodyBytes,
          contentTypes,
          dedupHeader,
          dedupJsonPointer,
          signature,
          keptHeaders,
          eventFilter);
    }
  }
}
