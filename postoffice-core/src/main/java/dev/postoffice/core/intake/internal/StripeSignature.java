package dev.postoffice.core.intake.internal;

import dev.postoffice.core.intake.WebhookRequest;
import dev.postoffice.core.intake.WebhookSignature;
import dev.postoffice.core.internal.Require;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Stripe's scheme: {@code Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.body">},
 * with several {@code v1} values while Stripe rolls a secret. Other schemes in the header ({@code
 * v0}) are ignored, as Stripe's libraries do.
 */
public final class StripeSignature implements WebhookSignature {
  /** The header Stripe signs in. */
  public static final String HEADER = "Stripe-Signature";

  private final List<byte[]> keys;
  private final Duration tolerance;

  /**
   * Creates the check.
   *
   * @param secrets the endpoint's signing secrets ({@code whsec_...}), used as they are
   * @param tolerance how far the timestamp may be from now
   */
  public StripeSignature(List<String> secrets, Duration tolerance) {
    this.tolerance =
        Require.between(tolerance, Duration.ofSeconds(1), Duration.ofHours(1), "tolerance");
    this.keys = Hmac.keys(secrets, s -> s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Optional<String> check(WebhookRequest request, byte[] body, Instant now) {
    Optional<String> header = request.header(HEADER);
    if (header.isEmpty()) {
      return Optional.of("missing " + HEADER + " header");
    }
    String timestamp = null;
    List<byte[]> signatures = new ArrayList<>();
    for (String part : header.get().split(",")) {
      String item = part.trim();
      if (item.startsWith("t=")) {
        timestamp = item.substring(2);
      } else if (item.startsWith("v1=")) {
        try {
          signatures.add(HexFormat.of().parseHex(item.substring(3)));
        } catch (IllegalArgumentException e) {
          // a malformed v1 value matches nothing; another one may still match
        }
      }
    }
    if (timestamp == null || signatures.isEmpty()) {
      return Optional.of(HEADER + " is malformed: it needs t=<seconds> and at least one v1=<hex>");
    }
    long seconds;
    try {
      seconds = Long.parseLong(timestamp);
    } catch (NumberFormatException e) {
      return Optional.of(HEADER + " t must be Unix seconds, but was '" + timestamp + "'");
    }
    long skew = Math.abs(now.getEpochSecond() - seconds);
    if (skew > tolerance.toSeconds()) {
      return Optional.of(
          HEADER
              + " t="
              + seconds
              + " is "
              + skew
              + " s from now, outside the tolerance of "
              + tolerance.toSeconds()
              + " s (replayed or clock skew)");
    }
    byte[] prefix = (timestamp + ".").getBytes(StandardCharsets.UTF_8);
    for (byte[] key : keys) {
      byte[] expected = Hmac.sha256(key, prefix, body);
      for (byte[] given : signatures) {
        if (MessageDigest.isEqual(expected, given)) {
          return Optional.empty();
        }
      }
    }
    return Optional.of(
        "no v1 signature in " + HEADER + " matches any of the " + keys.size() + " secrets");
  }

  @Override
  public String toString() {
    return "Stripe[tolerance=" + tolerance + ", secrets=" + keys.size() + " (hidden)]";
  }
}
