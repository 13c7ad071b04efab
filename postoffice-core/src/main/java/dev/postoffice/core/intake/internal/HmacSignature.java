package dev.postoffice.core.intake.internal;

import dev.postoffice.core.intake.WebhookRequest;
import dev.postoffice.core.intake.WebhookSignature;
import dev.postoffice.core.internal.Require;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** HMAC-SHA256 of the body in a header (GitHub, Shopify and the like). */
public final class HmacSignature implements WebhookSignature {
  private final String header;
  private final Encoding encoding;
  private final List<byte[]> keys;

  /**
   * Creates the check.
   *
   * @param header the signature header
   * @param encoding how it is written
   * @param secrets the valid secrets
   */
  public HmacSignature(String header, Encoding encoding, List<String> secrets) {
    this.header = Require.nonBlank(header, "header");
    this.encoding = Require.nonNull(encoding, "encoding");
    this.keys = Hmac.keys(secrets, s -> s.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Optional<String> check(WebhookRequest request, byte[] body, Instant now) {
    Optional<String> value = request.header(header);
    if (value.isEmpty()) {
      return Optional.of("missing signature header " + header);
    }
    byte[] given = decode(value.get().trim());
    if (given == null) {
      return Optional.of(
          "malformed signature in header " + header + " (expected " + encoding + ")");
    }
    for (byte[] key : keys) {
      if (MessageDigest.isEqual(Hmac.sha256(key, body), given)) {
        return Optional.empty();
      }
    }
    return Optional.of(
        "signature in header " + header + " matches none of the " + keys.size() + " secrets");
  }

  private byte[] decode(String value) {
    try {
      return switch (encoding) {
        case HEX_SHA256_PREFIX ->
            value.toLowerCase(Locale.ROOT).startsWith("sha256=")
                ? HexFormat.of()
                    .parseHex(value.substring("sha256=".length()).toLowerCase(Locale.ROOT))
                : null;
        case HEX -> HexFormat.of().parseHex(value.toLowerCase(Locale.ROOT));
        case BASE64 -> Base64.getDecoder().decode(value);
      };
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  @Override
  public String toString() {
    return "HmacSha256[header="
        + header
        + ", encoding="
        + encoding
        + ", secrets="
        + keys.size()
        + " (hidden)]";
  }
}
