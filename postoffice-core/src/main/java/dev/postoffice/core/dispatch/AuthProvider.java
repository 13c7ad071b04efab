package dev.postoffice.core.dispatch;

import dev.postoffice.PartnerRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Supplies credentials for a partner request at the moment it is sent, so they are never stored on
 * an entry, kept in its history or logged. Called once per attempt: a provider may refresh an
 * expiring token.
 *
 * <pre>{@code
 * AuthProvider auth = AuthProvider.bearer(() -> tokens.current("acme"));
 * }</pre>
 */
@FunctionalInterface
public interface AuthProvider {
  /** Adds no credentials. */
  AuthProvider NONE = request -> Map.of();

  /**
   * Returns the headers to add to a request, such as {@code Authorization}.
   *
   * @param request the request about to be sent
   * @return the headers; never null
   */
  Map<String, String> headers(PartnerRequest request);

  /**
   * Returns a provider of {@code Authorization: Bearer <token>}.
   *
   * @param token supplies the current token
   * @return the provider
   */
  static AuthProvider bearer(Supplier<String> token) {
    Objects.requireNonNull(token, "token cannot be null");
    return request -> Map.of("Authorization", "Bearer " + token.get());
  }

  /**
   * Returns a provider of HTTP Basic credentials.
   *
   * @param user the user name
   * @param password the password
   * @return the provider
   */
  static AuthProvider basic(String user, String password) {
    Objects.requireNonNull(user, "user cannot be null");
    Objects.requireNonNull(password, "password cannot be null");
    String encoded =
        Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    return request -> Map.of("Authorization", "Basic " + encoded);
  }
}
