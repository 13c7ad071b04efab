package dev.postoffice.admin.internal;

import dev.postoffice.admin.AdminAuthenticator;
import dev.postoffice.admin.HealthCheck;
import dev.postoffice.admin.PayloadRedactor;
import dev.postoffice.core.operator.Operations;
import java.time.Clock;
import java.util.Map;
import java.util.Set;

/**
 * The console's settings, fixed when the handler is built.
 *
 * @param operations the operator API the endpoints call
 * @param authenticator who made each request
 * @param pathPrefix where the console is mounted, such as {@code /postoffice}; no trailing slash
 * @param allowedOrigins origins besides the server's own that may send changes
 * @param redactor masks payloads before they are shown
 * @param maxPayloadBytes the most bytes of a payload shown
 * @param healthChecks the host's checks by name, besides the store's
 * @param clock for ages
 */
public record AdminConfig(
    Operations operations,
    AdminAuthenticator authenticator,
    String pathPrefix,
    Set<String> allowedOrigins,
    PayloadRedactor redactor,
    int maxPayloadBytes,
    Map<String, HealthCheck> healthChecks,
    Clock clock) {
  /** Copies the collections. */
  public AdminConfig {
    allowedOrigins = Set.copyOf(allowedOrigins);
    healthChecks = Map.copyOf(healthChecks);
  }
}
