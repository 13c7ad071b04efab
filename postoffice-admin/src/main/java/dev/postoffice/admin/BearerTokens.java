package dev.postoffice.admin;

import dev.postoffice.admin.internal.Require;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates by {@code Authorization: Bearer <token>} against tokens the host configures, each
 * with a name and a role. Only SHA-256 digests of the tokens are kept, and they are compared in
 * constant time; neither tokens nor digests appear in {@link #toString()} or any answer.
 *
 * <pre>{@code
 * AdminAuthenticator auth = BearerTokens.builder()
 *     .operator("on-call", System.getenv("POSTOFFICE_OPERATOR_TOKEN"))
 *     .viewer("support", System.getenv("POSTOFFICE_VIEWER_TOKEN"))
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class BearerTokens implements AdminAuthenticator {
  /** The shortest token accepted: shorter ones can be guessed. */
  public static final int MIN_TOKEN_LENGTH = 16;

  private record Known(byte[] digest, AdminPrincipal principal) {}

  private final List<Known> known;

  private BearerTokens(List<Known> known) {
    this.known = List.copyOf(known);
  }

  /**
   * Starts describing the tokens.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Optional<AdminPrincipal> authenticate(AdminRequest request) {
    Optional<String> header = request.header("Authorization");
    if (header.isEmpty() || !header.get().regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    byte[] digest = sha256(header.get().substring(7).trim());
    AdminPrincipal found = null;
    for (Known k : known) { // no early exit: the time taken does not tell which token matched
      if (MessageDigest.isEqual(k.digest(), digest)) {
        found = k.principal();
      }
    }
    return Optional.ofNullable(found);
  }

  @Override
  public String toString() {
    return "BearerTokens[" + known.size() + " tokens]";
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Collects tokens. Not thread-safe. */
  public static final class Builder {
    private final List<Known> known = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a token that may read.
     *
     * @param name who holds it, shown in the console and recorded in histories
     * @param token the secret, at least {@value BearerTokens#MIN_TOKEN_LENGTH} characters
     * @return this builder
     * @throws IllegalArgumentException if the token is too short or already added
     */
    public Builder viewer(String name, String token) {
      return add(name, token, AdminRole.VIEWER);
    }

    /**
     * Adds a token that may read, replay and pause.
     *
     * @param name who holds it, shown in the console and recorded in replays' histories
     * @param token the secret, at least {@value BearerTokens#MIN_TOKEN_LENGTH} characters
     * @return this builder
     * @throws IllegalArgumentException if the token is too short or already added
     */
    public Builder operator(String name, String token) {
      return add(name, token, AdminRole.OPERATOR);
    }

    private Builder add(String name, String token, AdminRole role) {
      Require.nonBlank(name, "name");
      Require.nonNull(token, "token");
      if (token.strip().length() < MIN_TOKEN_LENGTH) {
        // The message must not quote the token.
        throw new IllegalArgumentException(
            "token of "
                + name
                + " must have at least "
                + MIN_TOKEN_LENGTH
                + " characters, but has "
                + token.strip().length());
      }
      byte[] digest = sha256(token.strip());
      if (known.stream().anyMatch(k -> MessageDigest.isEqual(k.digest(), digest))) {
        throw new IllegalArgumentException("token of " + name + " is already given to someone");
      }
      known.add(new Known(digest, new AdminPrincipal(name, role)));
      return this;
    }

    /**
     * Builds the authenticator.
     *
     * @return the authenticator
     * @throws IllegalStateException if no token was added
     */
    public BearerTokens build() {
      if (known.isEmpty()) {
        throw new IllegalStateException(
            "tokens must not be empty [Hint: call viewer(name, token) or operator(name, token)]");
      }
      return new BearerTokens(known);
    }
  }
}
