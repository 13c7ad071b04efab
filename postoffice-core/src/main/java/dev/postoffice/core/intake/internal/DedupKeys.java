package dev.postoffice.core.intake.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.postoffice.RawMessage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Dedup keys: taken from JSON bodies, hashed when too long, derived from file contents. */
public final class DedupKeys {
  /** Shared, thread-safe once configured. */
  public static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private DedupKeys() {}

  /**
   * Reads a field of a JSON body.
   *
   * @param body the body
   * @param pointer the JSON pointer
   * @return the field as text (scalars as written, objects as JSON), or empty if missing or null
   * @throws IllegalArgumentException if the body is not JSON
   */
  public static Optional<String> fromJson(byte[] body, String pointer) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "body is not valid JSON at line "
              + e.getLocation().getLineNr()
              + ", column "
              + e.getLocation().getColumnNr(),
          e);
    } catch (IOException e) {
      throw new IllegalArgumentException("body is not valid JSON", e);
    }
    if (root == null) {
      throw new IllegalArgumentException("body is empty, but a JSON document was expected");
    }
    JsonNode node = root.at(pointer);
    if (node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    String text = node.isValueNode() ? node.asText() : node.toString();
    return text.isBlank() ? Optional.empty() : Optional.of(text);
  }

  /**
   * Makes a key fit {@link RawMessage#MAX_DEDUP_KEY_LENGTH}: longer keys become {@code
   * sha256:<hex>}.
   *
   * @param key the key
   * @return a key intake accepts
   */
  public static String fit(String key) {
    return key.length() <= RawMessage.MAX_DEDUP_KEY_LENGTH
        ? key
        : "sha256:" + sha256Hex(key.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Hashes bytes.
   *
   * @param parts the bytes, hashed one after the other
   * @return the lower-case hex SHA-256
   */
  public static String sha256Hex(byte[]... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (byte[] part : parts) {
        digest.update(part);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
