package dev.postoffice.spi;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON the acknowledgement messages need, without a JSON library: the api module is JDK only, and
 * both PostOffice and a Core App that embeds only the receiver read and write these bodies. Reads standard
 * JSON (RFC 8259, UTF-8) into maps, lists, strings, {@link Literal}s and {@link #MISSING}; writes flat objects
 * of strings and string arrays byte for byte as Jackson's default writer does (supplementary characters as
 * escaped surrogate pairs), so acknowledgements look the same as before this class replaced Jackson.
 */
final class AckJson {
  /** What reading an empty body gives, and what a missing member reads as. */
  static final Object MISSING = new Object();

  /** Deeper nesting is refused, as Jackson's default read constraints do, rather than overflowing the stack. */
  private static final int MAX_DEPTH = 1000;

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /**
   * A number, true, false or null, kept as written (only shown back in error messages).
   *
   * @param text the token
   */
  record Literal(String text) {
    @Override
    public String toString() {
      return text;
    }
  }

  private final String text;
  private int at;

  private AckJson(String text) {
    this.text = text;
  }

  /**
   * Reads the first JSON value of a body; an empty (or all-blank) body reads as {@link #MISSING}. What follows
   * the first value is not read.
   *
   * @throws IllegalArgumentException with what is wrong, if the body is not JSON
   */
  static Object read(byte[] body) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("Invalid UTF-8: " + e.getMessage());
    }
    AckJson reader = new AckJson(text);
    reader.skipBlanks();
    if (reader.at == text.length()) {
      return MISSING;
    }
    return reader.value(0);
  }

  /** The member of an object, or {@link #MISSING} if the value is not an object or has no such member. */
  static Object member(Object value, String name) {
    if (value instanceof Map<?, ?> object && object.containsKey(name)) {
      return object.get(name);
    }
    return MISSING;
  }

  /** Writes a value read by {@link #read} back as compact JSON, for error messages. */
  static String show(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  /**
   * Writes an object of string (or list of strings) members, in the map's order, as UTF-8 bytes.
   *
   * @param members the members; values are strings or lists of strings
   * @return the JSON bytes
   */
  static byte[] object(Map<String, ?> members) {
    StringBuilder out = new StringBuilder();
    write(members, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(Object value, StringBuilder out) {
    if (value instanceof String s) {
      string(s, out);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      String comma = "";
      for (Map.Entry<?, ?> e : map.entrySet()) {
        out.append(comma);
        string((String) e.getKey(), out);
        out.append(':');
        write(e.getValue(), out);
        comma = ",";
      }
      out.append('}');
    } else if (value instanceof List<?> list) {
      out.append('[');
      String comma = "";
      for (Object item : list) {
        out.append(comma);
        write(item, out);
        comma = ",";
      }
      out.append(']');
    } else if (value != MISSING) {
      out.append(value);
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        default -> {
          // Control characters must be escaped; surrogates are, as Jackson's UTF-8 writer does by default.
          if (c < 0x20 || Character.isSurrogate(c)) {
            out.append("\\u").append(HEX[c >> 12 & 0xF]).append(HEX[c >> 8 & 0xF]).append(HEX[c >> 4 & 0xF])
                .append(HEX[c & 0xF]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw fail("Document nesting depth exceeds the maximum allowed (" + MAX_DEPTH + ")");
    }
    skipBlanks();
    if (at == text.length()) {
      throw fail("Unexpected end-of-input: expected a value");
    }
    char c = text.charAt(at);
    if (c == '{') {
      return object(depth);
    }
    if (c == '[') {
      return array(depth);
    }
    if (c == '"') {
      return string();
    }
    return literal();
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> members = new LinkedHashMap<>();
    at++;
    skipBlanks();
    if (peek() == '}') {
      at++;
      return members;
    }
    while (true) {
      skipBlanks();
      if (peek() != '"') {
        throw fail("Unexpected character " + shown() + ": was expecting double-quote to start field name");
      }
      String name = string();
      skipBlanks();
      expect(':', "a colon to separate field name and value");
      members.put(name, value(depth + 1));
      skipBlanks();
      char c = peek();
      at++;
      if (c == '}') {
        return members;
      }
      if (c != ',') {
        at--;
        throw fail("Unexpected character " + shown() + ": was expecting comma to separate Object entries");
      }
    }
  }

  private List<Object> array(int depth) {
    List<Object> items = new ArrayList<>();
    at++;
    skipBlanks();
    if (peek() == ']') {
      at++;
      return items;
    }
    while (true) {
      items.add(value(depth + 1));
      skipBlanks();
      char c = peek();
      at++;
      if (c == ']') {
        return items;
      }
      if (c != ',') {
        at--;
        throw fail("Unexpected character " + shown() + ": was expecting comma to separate Array entries");
      }
    }
  }

  private String string() {
    StringBuilder out = new StringBuilder();
    at++;
    while (true) {
      if (at == text.length()) {
        throw fail("Unexpected end-of-input in a String value");
      }
      char c = text.charAt(at++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        at--;
        throw fail("Illegal unquoted character " + shown() + ": has to be escaped in a String value");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (at == text.length()) {
        throw fail("Unexpected end-of-input in a character escape sequence");
      }
      char e = text.charAt(at++);
      switch (e) {
        case '"', '\\', '/' -> out.append(e);
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> out.append(unicodeEscape());
        default -> {
          at--;
          throw fail("Unrecognized character escape " + shown());
        }
      }
    }
  }

  private char unicodeEscape() {
    if (at + 4 > text.length()) {
      throw fail("Unexpected end-of-input in a \\u escape");
    }
    int code = 0;
    for (int i = 0; i < 4; i++) {
      int digit = Character.digit(text.charAt(at), 16);
      if (digit < 0) {
        throw fail("Unexpected character " + shown() + ": expected a hex-digit for character escape sequence");
      }
      code = code * 16 + digit;
      at++;
    }
    return (char) code;
  }

  /** A number, true, false or null; anything else is an unrecognized token. */
  private Literal literal() {
    int start = at;
    while (at < text.length() && isTokenChar(text.charAt(at))) {
      at++;
    }
    String token = text.substring(start, at);
    if (token.equals("true") || token.equals("false") || token.equals("null") || isNumber(token)) {
      return new Literal(token);
    }
    if (token.isEmpty()) {
      throw fail("Unexpected character " + shown() + ": expected a valid value (JSON String, Number, Array,"
          + " Object or token 'null', 'true' or 'false')");
    }
    throw new IllegalArgumentException("Unrecognized token '" + token + "': was expecting (JSON String,"
        + " Number, Array, Object or token 'null', 'true' or 'false') at offset " + start);
  }

  private static boolean isTokenChar(char c) {
    return Character.isLetterOrDigit(c) || c == '-' || c == '+' || c == '.' || c == '_';
  }

  private static boolean isNumber(String token) {
    return token.matches("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
  }

  private void expect(char c, String what) {
    if (peek() != c) {
      throw fail("Unexpected character " + shown() + ": was expecting " + what);
    }
    at++;
  }

  private char peek() {
    if (at == text.length()) {
      throw fail("Unexpected end-of-input");
    }
    return text.charAt(at);
  }

  private void skipBlanks() {
    while (at < text.length() && " \t\n\r".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
  }

  private String shown() {
    return at < text.length() ? "('" + text.charAt(at) + "' (code " + (int) text.charAt(at) + "))" : "(end)";
  }

  private IllegalArgumentException fail(String message) {
    return new IllegalArgumentException(message + " at offset " + at);
  }
}
