package dev.postoffice.examples;

import dev.postoffice.core.intake.WebhookRequest;
import dev.postoffice.core.intake.WebhookSignature;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A signature scheme of one's own, as a host writes it for a partner whose scheme PostOffice does
 * not ship: Acme signs {@code "<X-Acme-Timestamp>:<body>"} with HMAC-SHA256 and sends it as hex in
 * {@code X-Acme-Signature}. docs/connectors.md quotes it; {@code ConnectorsGuideTest} tests it.
 */
// tag::customSignature[]
public final class AcmeSignature implements WebhookSignature {
  private final byte[] secret;
  private final Duration tolerance;

  public AcmeSignature(String secret, Duration tolerance) {
    this.secret = secret.getBytes(StandardCharsets.UTF_8);
    this.tolerance = tolerance;
  }

  @Override
  public Optional<String> check(WebhookRequest request, byte[] body, Instant now) {
    Optional<String> timestamp = request.header("X-Acme-Timestamp");
    Optional<String> signature = request.header("X-Acme-Signature");
    if (timestamp.isEmpty() || signature.isEmpty()) {
      return Optional.of("missing X-Acme-Timestamp or X-Acme-Signature"); // logged, never sent
    }
    Instant signedAt;
    try {
      signedAt = Instant.ofEpochSecond(Long.parseLong(timestamp.get()));
    } catch (NumberFormatException e) {
      return Optional.of("X-Acme-Timestamp is not Unix seconds");
    }
    if (Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) {
      return Optional.of("X-Acme-Timestamp is outside the tolerance of " + tolerance);
    }
    byte[] expected = hmacSha256(timestamp.get() + ":", body);
    byte[] given;
    try {
      given = HexFormat.of().parseHex(signature.get());
    } catch (IllegalArgumentException e) {
      return Optional.of("X-Acme-Signature is not hex");
    }
    return MessageDigest.isEqual(expected, given) // constant time
        ? Optional.empty()
        : Optional.of("X-Acme-Signature does not match");
  }

  private byte[] hmacSha256(String prefix, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      mac.update(prefix.getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
// end::customSignature[]
