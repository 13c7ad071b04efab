package dev.postoffice.admin.internal;

import dev.postoffice.admin.AdminPrincipal;
import dev.postoffice.admin.AdminRequest;
import dev.postoffice.admin.AdminRole;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The API's security rules, checked before any endpoint runs: who is asking (401 if unknown), may
 * they (403 for a viewer changing something), and for a change, is it a JSON POST from the
 * console's own origin (415, 403). Browsers attach no credential on their own (no cookies), so a
 * cross-site request could not authenticate anyway; the origin check is a second wall.
 */
public final class Guard {
  private final AdminConfig config;

  /**
   * Creates the rules for a console.
   *
   * @param config the console's settings
   */
  public Guard(AdminConfig config) {
    this.config = config;
  }

  /**
   * Authenticates a request.
   *
   * @param request the request
   * @return who made it
   * @throws ApiError 401 without a valid credential
   */
  public AdminPrincipal authenticate(AdminRequest request) {
    Optional<AdminPrincipal> who;
    try {
      who = config.authenticator().authenticate(request);
    } catch (RuntimeException e) {
      // A failing authenticator must not let anyone in, nor leak what it was checking.
      who = Optional.empty();
    }
    return who.orElseThrow(
        () ->
            new ApiError(
                401,
                request.header("Authorization").isPresent()
                    ? "the credential is not valid"
                    : "authentication required: send Authorization: Bearer <token>",
                null));
  }

  /**
   * Checks a change may be made: by an operator, as a JSON POST, from an allowed origin.
   *
   * @param request the request
   * @param who who made it
   * @throws ApiError 403 or 415 if not
   */
  public void checkChange(AdminRequest request, AdminPrincipal who) {
    if (!who.role().includes(AdminRole.OPERATOR)) {
      throw new ApiError(
          403, who.name() + " is a viewer: replaying and pausing need the operator role", null);
    }
    checkSameOrigin(request);
    String type = request.header("Content-Type").orElse("").toLowerCase(Locale.ROOT);
    if (!type.startsWith("application/json")) {
      throw new ApiError(
          415,
          "changes must be sent with Content-Type: application/json, but it was '"
              + request.header("Content-Type").orElse("")
              + "'",
          null);
    }
  }

  /**
   * Refuses a request a browser sent from another site: its {@code Origin} must be the server's own
   * (the {@code Host} it was sent to) or an allowed one, and its {@code Sec-Fetch-Site} must not
   * say cross-site. Requests without either header come from programs (curl, scripts), which carry
   * their own credential and are let through.
   */
  private void checkSameOrigin(AdminRequest request) {
    Optional<String> origin = request.header("Origin");
    if (origin.isPresent() && config.allowedOrigins().contains(origin.get())) {
      return;
    }
    Optional<String> site = request.header("Sec-Fetch-Site").map(s -> s.toLowerCase(Locale.ROOT));
    if (site.isPresent() && !Set.of("same-origin", "none").contains(site.get())) {
      throw new ApiError(
          403, "cross-site request refused (Sec-Fetch-Site: " + site.get() + ")", null);
    }
    if (origin.isPresent() && !sameAuthority(origin.get(), request)) {
      throw new ApiError(
          403,
          "cross-site request refused: Origin "
              + origin.get()
              + " is neither this server nor one of allowedOrigins",
          null);
    }
  }

  private static boolean sameAuthority(String origin, AdminRequest request) {
    String authority;
    try {
      authority = URI.create(origin).getRawAuthority();
    } catch (IllegalArgumentException e) {
      return false; // "null" and other opaque origins
    }
    if (authority == null) {
      return false;
    }
    String host = request.header("X-Forwarded-Host").or(() -> request.header("Host")).orElse("");
    return authority.equalsIgnoreCase(host.trim());
  }
}
