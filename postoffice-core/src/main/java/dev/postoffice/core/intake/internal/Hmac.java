package dev.postoffice.core.intake.internal;

import dev.postoffice.core.internal.Require;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and the checks shared by the signature schemes. */
final class Hmac {
  private Hmac() {}

  static byte[] sha256(byte[] key, byte[]... parts) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      for (byte[] part : parts) {
        mac.update(part);
      }
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
    }
  }

  /** Turns secrets into keys; messages say which secret is wrong by index, never by value. */
  static List<byte[]> keys(List<String> secrets, Function<String, byte[]> decode) {
    Require.nonNull(secrets, "secrets");
    if (secrets.isEmpty()) {
      throw new IllegalArgumentException("secrets must hold at least 1 secret, but was empty");
    }
    List<byte[]> keys = new ArrayList<>(secrets.size());
    for (int i = 0; i < secrets.size(); i++) {
      String secret = Require.nonNull(secrets.get(i), "secrets[" + i + "]");
      byte[] key = decode.apply(secret);
      if (key.length == 0) {
        throw new IllegalArgumentException("secrets[" + i + "] must not be empty");
      }
      keys.add(key);
    }
    return List.copyOf(keys);
  }
}
