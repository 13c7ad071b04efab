package dev.postoffice.admin;

import java.util.Optional;

/**
 * Tells who made a console request, from its headers. The host supplies one (its SSO's token check,
 * say) or uses {@link BearerTokens}. The console offers no cookie login: a browser sends the
 * credential as an {@code Authorization} header, set by the page's script, so another site cannot
 * make a browser act with it.
 *
 * <p>Implementations must be thread-safe and must not log the credentials they check.
 */
@FunctionalInterface
public interface AdminAuthenticator {
  /**
   * Authenticates a request.
   *
   * @param request the request; its body is not needed and should not be read
   * @return who made it, or empty if it carries no credential or a wrong one (answered 401)
   */
  Optional<AdminPrincipal> authenticate(AdminRequest request);
}
