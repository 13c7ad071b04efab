package dev.postoffice.admin.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.postoffice.admin.PayloadRedactor;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Payload;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A payload as the console shows it, after the host's redactor: text as text when it is valid UTF-8
 * without control characters, anything else as base64 and hex; at most {@code maxBytes} of it.
 */
public final class PayloadJson {
  private PayloadJson() {}

  /**
   * Returns the view of an entry's payload.
   *
   * @param entry the entry, with its payload (or null if purged)
   * @param redactor the host's redactor
   * @param maxBytes the most bytes shown
   * @return the JSON object; {@code "present": false} when the entry has no payload
   */
  public static ObjectNode of(Entry entry, PayloadRedactor redactor, int maxBytes) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    if (entry.payload() == null) {
      n.put("present", false);
      return n;
    }
    Payload shown = redactor.redact(entry.toBuilder().payload(null).build(), entry.payload());
    byte[] bytes = shown == null ? new byte[0] : shown.bytes();
    n.put("present", true);
    n.put("redacted", shown != entry.payload());
    n.put("contentType", shown == null ? entry.payload().contentType() : shown.contentType());
    n.put("size", bytes.length);
    boolean truncated = bytes.length > maxBytes;
    byte[] head = truncated ? Arrays.copyOf(bytes, maxBytes) : bytes;
    n.put("truncated", truncated);
    String text = text(head, truncated);
    if (text != null) {
      n.put("encoding", "text");
      n.put("text", text);
    } else {
      n.put("encoding", "binary");
      n.put("base64", Base64.getEncoder().encodeToString(head));
      n.put("hex", HexFormat.ofDelimiter(" ").formatHex(head));
    }
    return n;
  }

  /**
   * Decodes bytes as UTF-8, or returns null if they are not text. A cut at the size cap may split a
   * character: the split tail is dropped rather than counted as binary.
   */
  private static String text(byte[] bytes, boolean truncated) {
    int end = bytes.length;
    for (int tries = 0; tries < 4; tries++) {
      try {
        String s =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, 0, end))
                .toString();
        return looksLikeText(s) ? s : null;
      } catch (CharacterCodingException e) {
        if (!truncated || end == 0) {
          return null;
        }
        end--;
      }
    }
    return null;
  }

  private static boolean looksLikeText(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 && c != '\n' && c != '\r' && c != '\t') {
        return false;
      }
    }
    return true;
  }
}
