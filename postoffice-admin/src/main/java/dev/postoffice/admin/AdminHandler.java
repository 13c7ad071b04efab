package dev.postoffice.admin;

import dev.postoffice.NoSuchEntryException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.admin.internal.AdminConfig;
import dev.postoffice.admin.internal.Answers;
import dev.postoffice.admin.internal.ApiError;
import dev.postoffice.admin.internal.ApiRouter;
import dev.postoffice.admin.internal.ConsoleFiles;
import dev.postoffice.admin.internal.Require;
import dev.postoffice.core.operator.Operations;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console, independent of any web framework: give it an {@link AdminRequest}, send
 * back the {@link AdminResponse}. {@link AdminServer} binds it on the JDK HTTP server; a servlet or
 * Spring adapter passes every request under {@link #pathPrefix()} to {@link #handle(AdminRequest)}.
 *
 * <p>Under the prefix (default {@value AdminHandler#DEFAULT_PATH_PREFIX}) it serves the web page
 * ({@code /}) and the JSON API ({@code /api/...}, see {@code docs/operations.md}). It is off unless
 * the host turns it on: {@link Builder#build()} requires {@link Builder#enabled(boolean)
 * enabled(true)} and an {@link Builder#authenticator(AdminAuthenticator) authenticator}. Every API
 * request is authenticated (401 otherwise); viewers read, operators also replay and pause (403 for
 * a viewer); changes are JSON POSTs (415 otherwise) from the console's own origin or an allowed one
 * (403 otherwise). Payloads pass through the host's {@link PayloadRedactor}, credentials in stored
 * headers are masked, and no answer carries a token.
 *
 * <pre>{@code
 * AdminHandler console = AdminHandler.builder(pipeline.operations())
 *     .enabled(true)
 *     .authenticator(BearerTokens.builder().operator("on-call", operatorToken).build())
 *     .redactor(maskCardNumbers)
 *     .build();
 * try (AdminServer server = AdminServer.builder(console).port(8081).start()) { ... }
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class AdminHandler {
  /** Where the console is mounted, unless set. */
  public static final String DEFAULT_PATH_PREFIX = "/postoffice";

  /** The most payload bytes shown, unless set: 64 KiB. */
  public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

  /** The largest request body taken: the API's bodies are small JSON objects. */
  public static final int MAX_BODY_BYTES = 16 * 1024;

  private static final Logger log = LoggerFactory.getLogger(AdminHandler.class);
  private static final Pattern PREFIX = Pattern.compile("(/[A-Za-z0-9._~-]+)*");

  private final String prefix;
  private final ApiRouter api;
  private final ConsoleFiles files = new ConsoleFiles();

  private AdminHandler(AdminConfig config) {
    this.prefix = config.pathPrefix();
    this.api = new ApiRouter(config);
  }

  /**
   * Starts describing a console on an operator API, such as {@code pipeline.operations()}.
   *
   * @param operations the operator API
   * @return a new builder
   */
  public static Builder builder(Operations operations) {
    return new Builder(Require.nonNull(operations, "operations"));
  }

  /**
   * Returns where the console is mounted; a framework adapter passes requests whose path starts
   * with it.
   *
   * @return the prefix, such as {@code /postoffice}; empty when mounted at the root
   */
  public String pathPrefix() {
    return prefix;
  }

  /**
   * Answers a request. Never throws for a bad request: refusals are answered with their status and
   * a JSON body {@code {"status":400,"error":"...","parameter":"..."}}.
   *
   * @param request the request
   * @return the answer
   */
  public AdminResponse handle(AdminRequest request) {
    Require.nonNull(request, "request");
    String path = request.path();
    if (!path.equals(prefix) && !path.startsWith(prefix + "/")) {
      return Answers.error(new ApiError(404, "not under " + prefix, null));
    }
    String rest = path.substring(prefix.length());
    try {
      if (rest.equals("/api") || rest.startsWith("/api/")) {
        if (request.body().length > MAX_BODY_BYTES) {
          throw new ApiError(413, "the body must be at most " + MAX_BODY_BYTES + " bytes", null);
        }
        return api.route(request, rest.substring(4));
      }
      return page(request, rest);
    } catch (ApiError e) {
      return Answers.error(e);
    } catch (NoSuchEntryException e) {
      return Answers.error(ApiError.notFound("entry " + e.entryId()));
    } catch (StoreUnavailableException e) {
      log.warn("admin request {}: the store is unavailable: {}", request, e.getMessage());
      return Answers.error(new ApiError(503, "the store is unavailable; try again", null));
    } catch (UnsupportedOperationException e) {
      return Answers.error(
          new ApiError(501, "the store does not support this: " + e.getMessage(), null));
    } catch (RuntimeException e) {
      // Logged here with its stack trace; the answer says only that it failed.
      log.error("admin request {} failed", request, e);
      return Answers.error(
          new ApiError(500, "the request failed: " + e.getClass().getSimpleName(), null));
    }
  }

  private AdminResponse page(AdminRequest request, String rest) {
    if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
      throw new ApiError(405, "the console's files are read with GET", null);
    }
    if (rest.isEmpty()) {
      // The page's relative links need the trailing slash.
      Map<String, String> h = Answers.headers("text/plain; charset=utf-8");
      h.put("Location", prefix + "/");
      return new AdminResponse(302, h, new byte[0]);
    }
    String name = rest.equals("/") ? "index.html" : rest.substring(1);
    return files.file(name).orElseThrow(() -> ApiError.notFound("console file " + name));
  }

  @Override
  public String toString() {
    return "AdminHandler[" + prefix + "]";
  }

  /** Builds an {@link AdminHandler}. Not thread-safe. */
  public static final class Builder {
    private final Operations operations;
    private boolean enabled;
    private AdminAuthenticator authenticator;
    private String pathPrefix = DEFAULT_PATH_PREFIX;
    private final Set<String> allowedOrigins = new LinkedHashSet<>();
    private PayloadRedactor redactor = PayloadRedactor.NONE;
    private int maxPayloadBytes = DEFAULT_MAX_PAYLOAD_BYTES;
    private final Map<String, HealthCheck> healthChecks = new LinkedHashMap<>();
    private Clock clock = Clock.systemUTC();

    private Builder(Operations operations) {
      this.operations = operations;
    }

    /**
     * Turns the console on. It is off by default, and {@link #build()} refuses to build it off: a
     * host that mounts the console says so explicitly.
     *
     * @param value true to serve the console; default false
     * @return this builder
     */
    public Builder enabled(boolean value) {
      enabled = value;
      return this;
    }

    /**
     * Sets who may use the console: {@link BearerTokens}, or the host's own check. Required.
     *
     * @param value the authenticator
     * @return this builder
     */
    public Builder authenticator(AdminAuthenticator value) {
      authenticator = Require.nonNull(value, "authenticator");
      return this;
    }

    /**
     * Sets where the console is mounted.
     *
     * @param value a path such as {@code /ops/postoffice}, or empty for the root; default {@value
     *     AdminHandler#DEFAULT_PATH_PREFIX}
     * @return this builder
     * @throws IllegalArgumentException if it does not start with a slash, ends with one, or holds
     *     characters other than letters, digits and {@code . _ ~ -}
     */
    public Builder pathPrefix(String value) {
      Require.nonNull(value, "pathPrefix");
      if (!PREFIX.matcher(value).matches()) {
        throw new IllegalArgumentException(
            "pathPrefix must be empty or like /ops/postoffice (no trailing slash), but was '"
                + value
                + "'");
      }
      pathPrefix = value;
      return this;
    }

    /**
     * Allows changes from pages of another origin, such as a portal that embeds calls to the API.
     * The server's own origin is always allowed.
     *
     * @param origins origins such as {@code https://ops.example.com}; default none
     * @return this builder
     */
    public Builder allowedOrigins(String... origins) {
      for (String o : origins) {
        allowedOrigins.add(Require.nonBlank(o, "origin"));
      }
      return this;
    }

    /**
     * Sets what masks payloads before they are shown.
     *
     * @param value the redactor; default {@link PayloadRedactor#NONE}
     * @return this builder
     */
    public Builder redactor(PayloadRedactor value) {
      redactor = Require.nonNull(value, "redactor");
      return this;
    }

    /**
     * Sets the most bytes of a payload shown; the rest is cut, and the answer says so.
     *
     * @param value 1 KiB to 16 MiB; default 64 KiB
     * @return this builder
     */
    public Builder maxPayloadBytes(int value) {
      maxPayloadBytes = Require.between(value, 1024, 16 << 20, "maxPayloadBytes");
      return this;
    }

    /**
     * Adds a check to the health endpoint, such as the broker's connection. The store is always
     * checked.
     *
     * @param name its name in the answer, such as {@code transport}
     * @param check the check
     * @return this builder
     */
    public Builder healthCheck(String name, HealthCheck check) {
      healthChecks.put(Require.nonBlank(name, "name"), Require.nonNull(check, "check"));
      return this;
    }

    /**
     * Sets the clock for ages.
     *
     * @param value the clock; default the system's UTC clock
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Require.nonNull(value, "clock");
      return this;
    }

    /**
     * Builds the console.
     *
     * @return the handler
     * @throws IllegalStateException listing what is missing: {@code enabled(true)}, an
     *     authenticator
     */
    public AdminHandler build() {
      List<String> missing = new ArrayList<>();
      if (!enabled) {
        missing.add(
            "enabled must be true: the console is off unless the host turns it on [Hint: call"
                + " enabled(true)]");
      }
      if (authenticator == null) {
        missing.add(
            "authenticator cannot be null: every request is authenticated [Hint: call"
                + " authenticator(BearerTokens.builder().operator(name, token).build())]");
      }
      if (!missing.isEmpty()) {
        throw new IllegalStateException(String.join("; ", missing));
      }
      return new AdminHandler(
          new AdminConfig(
              operations,
              authenticator,
              pathPrefix,
              allowedOrigins,
              redactor,
              maxPayloadBytes,
              healthChecks,
              clock));
    }
  }
}
