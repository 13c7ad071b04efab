package dev.postoffice.core.intake.internal;

import dev.postoffice.core.intake.WebhookRequest;
import dev.postoffice.core.intake.WebhookSignature;
import dev.postoffice.core.internal.Require;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** The Standard Webhooks scheme: {@code v1,<base64 HMAC-SHA256 of "id.timestamp.body">}. */
public final class StandardWebhooksSignature implements WebhookSignature {
  /** The prefix of every Standard Webhooks secret. */
  public static final String SECRET_PREFIX = "whsec_";

  private final List<byte[]> keys;
  private final Duration tolerance;

  /**
   * Creates the check.
   *
   * @param secrets the valid secrets, {@code whsec_<base64>}
   * @param tolerance how far the timestamp may be from now
   */
  public StandardWebhooksSignature(List<String> secrets, Duration tolerance) {
    this.tolerance =
        Require.between(tolerance, Duration.ofSeconds(1), Duration.ofHours(1), "tolerance");
    this.keys = Hmac.keys(secrets, StandardWebhooksSignature::decodeSecret);
  }

  private static byte[] decodeSecret(String secret) {
    if (!secret.startsWith(SECRET_PREFIX)) {
      throw new IllegalArgumentException(
          "secrets must each start with " + SECRET_PREFIX + ", but one did not (value hidden)");
    }
    try {
      return Base64.getDecoder().decode(secret.substring(SECRET_PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "secrets must each be "
              + SECRET_PREFIX
              + " followed by Base64, but one was not (value hidden)");
    }
  }

  @Override
  public Optional<String> check(WebhookRequest request, byte[] body, Instant now) {
    Optional<String> id = request.header("webhook-id");
    Optional<String> timestamp = request.header("webhook-timestamp");
    Optional<String> signatures = request.header("webhook-signature");
    if (id.isEmpty() || timestamp.isEmpty() || signatures.isEmpty()) {
      return Optional.of("missing webhook-id, webhook-timestamp or webhook-signature header");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp.get().trim());
    } catch (NumberFormatException e) {
      return Optional.of(
          "webhook-timestamp must be Unix seconds, but was '" + timestamp.get() + "'");
    }
    long skew = Math.abs(now.getEpochSecond() - seconds);
    if (skew > tolerance.toSeconds()) {
      return Optional.of(
          "webhook-timestamp "
              + seconds
              + " is "
              + skew
              + " s from now, outside the tolerance of "
              + tolerance.toSeconds()
              + " s (replayed or clock skew)");
    }
    byte[] prefix =
        (id.get() + "." + timestamp.get().trim() + ".").getBytes(StandardCharsets.UTF_8);
    for (String candidate : signatures.get().trim().split(" +")) {
      if (!candidate.startsWith("v1,")) {
        continue;
      }
      byte[] given;
      try {
        given = Base64.getDecoder().decode(candidate.substring(3));
      } catch (IllegalArgumentException e) {
        continue;
      }
      for (byte[] key : keys) {
        if (MessageDigest.isEqual(Hmac.sha256(key, prefix, body), given)) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(
        "no v1 signature in webhook-signature matches any of the " + keys.size() + " secrets");
  }

  @Override
  public String toString() {
    return "StandardWebhooks[tolerance=" + tolerance + ", secrets=" + keys.size() + " (hidden)]";
  }
}
