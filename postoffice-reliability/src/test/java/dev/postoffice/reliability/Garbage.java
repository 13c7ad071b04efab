package dev.postoffice.reliability;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * Seeded generator of bad partner and core input: malformed JSON, invalid UTF-8, deep nesting, long
 * numbers, oversized documents and wrong content types, plus the well-formed and edge-case messages
 * that must pass.
 */
final class Garbage {
  /** What a generated input is. */
  enum Kind {
    MALFORMED_JSON,
    TRAILING_GARBAGE,
    INVALID_UTF8,
    DEEP_NESTING,
    LONG_NUMBER,
    WRONG_SHAPE,
    WRONG_CONTENT_TYPE,
    OVER_ROUTE_LIMIT,
    OVER_BODY_LIMIT,
    WELL_FORMED,
    BIG_BUT_VALID,
    ESCAPED_CONTROL_CHARS
  }

  /** One input: its kind, body and content type. */
  record Input(Kind kind, byte[] body, String contentType) {
    /**
     * @return true if the input must be refused or rejected on every channel (shape errors only
     *     upstream)
     */
    boolean mustBeRejected(boolean upstream) {
      return !mustPass() && kind != Kind.TRAILING_GARBAGE && (upstream || kind != Kind.WRONG_SHAPE);
    }

    boolean mustPass() {
      return kind == Kind.WELL_FORMED
          || kind == Kind.BIG_BUT_VALID
          || kind == Kind.ESCAPED_CONTROL_CHARS;
    }
  }

  private static final List<Kind> BAD =
      List.of(
          Kind.MALFORMED_JSON,
          Kind.TRAILING_GARBAGE,
          Kind.INVALID_UTF8,
          Kind.DEEP_NESTING,
          Kind.LONG_NUMBER,
          Kind.WRONG_SHAPE,
          Kind.WRONG_CONTENT_TYPE,
          Kind.OVER_ROUTE_LIMIT,
          Kind.OVER_BODY_LIMIT,
          Kind.BIG_BUT_VALID,
          Kind.ESCAPED_CONTROL_CHARS);

  private final Random random;
  private final int routeLimit;
  private final int bodyLimit;

  Garbage(long seed, int routeLimit, int bodyLimit) {
    this.random = new Random(seed);
    this.routeLimit = routeLimit;
    this.bodyLimit = bodyLimit;
  }

  /**
   * The next input: every third one well-formed, the others bad (or edge cases that must pass).
   *
   * @param id the order id a well-formed input carries
   */
  Input next(int index, String id) {
    if (index % 3 == 0) {
      return json(Kind.WELL_FORMED, shipmentOrOrder(id));
    }
    Kind kind = BAD.get(random.nextInt(BAD.size()));
    return switch (kind) {
      case MALFORMED_JSON -> json(kind, malformed(id));
      case TRAILING_GARBAGE ->
          json(kind, shipmentOrOrder(id) + pick("}}", "]", " {\"x\":1}", " trailing"));
      case INVALID_UTF8 -> new Input(kind, invalidUtf8(id), "application/json");
      case DEEP_NESTING ->
          json(kind, nested(id, 65 + random.nextInt(random.nextBoolean() ? 200 : 20_000)));
      case LONG_NUMBER ->
          json(
              kind,
              "{\"orderId\":\""
                  + id
                  + "\",\"quantity\":1"
                  + digits(101 + random.nextInt(5000))
                  + ",\"address\":\"x\"}");
      case WRONG_SHAPE ->
          json(
              kind,
              pick(
                  "[]",
                  "null",
                  "\"text\"",
                  "42",
                  "{}",
                  "{\"orderId\":{}}",
                  "{\"orderId\":\"" + id + "\",\"quantity\":\"many\"}",
                  "{\"orderId\":\"" + id + "\",\"quantity\":null}",
                  "{\"orderId\":[1,2]}"));
      case WRONG_CONTENT_TYPE ->
          new Input(
              kind,
              shipmentOrOrder(id).getBytes(StandardCharsets.UTF_8),
              pick(
                  "text/plain",
                  "application/xml",
                  "text/csv",
                  "application/octet-stream",
                  "image/png"));
      case OVER_ROUTE_LIMIT ->
          json(kind, padded(id, routeLimit + 1 + random.nextInt(bodyLimit - routeLimit - 64)));
      case OVER_BODY_LIMIT -> json(kind, padded(id, bodyLimit + 1 + random.nextInt(4 << 20)));
      case BIG_BUT_VALID ->
          json(kind, padded(id, routeLimit - 200 - random.nextInt(routeLimit / 2)));
      case ESCAPED_CONTROL_CHARS ->
          json(
              kind,
              "{\"orderId\":\""
                  + id
                  + "\\u0000\\u001f\\ud83d\\ude00\","
                  + "\"quantity\":2,\"address\":\"tab\\there \\u0000\"}");
      default -> throw new IllegalStateException(kind.name());
    };
  }

  /**
   * @return true if a core message of this kind must be rejected downstream
   */
  boolean mustBeRejected(Kind kind) {
    return new Input(kind, new byte[0], "application/json").mustBeRejected(false);
  }

  private static Input json(Kind kind, String text) {
    return new Input(kind, text.getBytes(StandardCharsets.UTF_8), "application/json");
  }

  /** Valid as either model: orders read orderId and quantity, shipments orderId and address. */
  private static String shipmentOrOrder(String id) {
    return "{\"orderId\":\"" + id + "\",\"quantity\":1,\"address\":\"1 Main St\"}";
  }

  private String malformed(String id) {
    String valid = shipmentOrOrder(id);
    return switch (random.nextInt(7)) {
      case 0, 1 -> valid.substring(0, 1 + random.nextInt(valid.length() - 2));
      case 2 -> valid.replace(":", "");
      case 3 -> "{orderId:'" + id + "'}";
      case 4 -> "";
      case 5 -> randomPrintable(1 + random.nextInt(500));
      default -> valid.replace(",", ",,");
    };
  }

  private byte[] invalidUtf8(String id) {
    byte[][] bad = {
      {(byte) 0xC3, 0x28},
      {(byte) 0xFF},
      {(byte) 0xC0, (byte) 0xAF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {0x00},
      {(byte) 0xE2, 0x28}
    };
    byte[] chosen = bad[random.nextInt(bad.length)];
    byte[] head = ("{\"orderId\":\"" + id + "-").getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\",\"quantity\":1,\"address\":\"x\"}".getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + chosen.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(chosen, 0, out, head.length, chosen.length);
    System.arraycopy(tail, 0, out, head.length + chosen.length, tail.length);
    return out;
  }

  private static String nested(String id, int depth) {
    return "{\"orderId\":\""
        + id
        + "\",\"quantity\":1,\"address\":\"x\",\"extra\":"
        + "[".repeat(depth)
        + "]".repeat(depth)
        + "}";
  }

  private static String padded(String id, int size) {
    String head = "{\"orderId\":\"" + id + "\",\"quantity\":1,\"address\":\"x\",\"pad\":\"";
    return head + "p".repeat(Math.max(0, size - head.length() - 2)) + "\"}";
  }

  private String digits(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) ('0' + random.nextInt(10)));
    }
    return b.toString();
  }

  private String randomPrintable(int n) {
    StringBuilder b = new StringBuilder(n);
    for (int i = 0; i < n; i++) {
      b.append((char) (32 + random.nextInt(95)));
    }
    return b.toString();
  }

  private String pick(String... values) {
    return values[random.nextInt(values.length)];
  }
}
