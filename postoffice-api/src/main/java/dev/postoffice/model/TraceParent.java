package dev.postoffice.model;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A W3C Trace Context {@code traceparent} (<a
 * href="https://www.w3.org/TR/trace-context/">https://www.w3.org/TR/trace-context/</a>): the trace
 * a message belongs to in the host's distributed tracing, and the span that sent it. PostOffice
 * takes one in at intake (the message's {@link TraceId} becomes its trace-id) and sends one, with a
 * new span id, with every message it publishes or request it dispatches.
 *
 * <pre>{@code
 * TraceParent.parse("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
 *     .map(TraceParent::traceId); // "4bf92f3577b34da6a3ce929d0e0e4736"
 * }</pre>
 *
 * @param traceId the trace-id: 32 lowercase hex characters, not all zeros
 * @param parentId the span id of the sender: 16 lowercase hex characters, not all zeros
 * @param flags the trace-flags, 0 to 255; bit 0 ({@link #SAMPLED}) says the sender may record
 */
public record TraceParent(String traceId, String parentId, int flags) {
  /** The header (HTTP, AMQP application property, message attribute) that carries it. */
  public static final String HEADER = "traceparent";

  /** The header of vendor-specific trace state that travels beside it, passed on unchanged. */
  public static final String STATE_HEADER = "tracestate";

  /** The trace-flags bit that says the trace is sampled. */
  public static final int SAMPLED = 0x01;

  /** The length of a version {@code 00} traceparent, and of the part any later version shares. */
  static final int LENGTH = 55;

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * Checks the fields.
   *
   * @throws NullPointerException if traceId or parentId is null
   * @throws IllegalArgumentException if an id is not lowercase hex of its length or all zeros, or
   *     flags is not between 0 and 255
   */
  public TraceParent {
    Objects.requireNonNull(traceId, "traceId cannot be null");
    Objects.requireNonNull(parentId, "parentId cannot be null");
    if (!isId(traceId, 32)) {
      throw new IllegalArgumentException(
          "traceId must be 32 lowercase hex characters, not all zeros, but was '" + traceId + "'");
    }
    if (!isId(parentId, 16)) {
      throw new IllegalArgumentException(
          "parentId must be 16 lowercase hex characters, not all zeros, but was '"
              + parentId
              + "'");
    }
    if (flags < 0 || flags > 0xff) {
      throw new IllegalArgumentException("flags must be between 0 and 255, but was " + flags);
    }
  }

  /**
   * Parses a {@code traceparent} header value as the specification's receivers do: version {@code
   * 00} is exactly 55 characters; a later version (not {@code ff}) is accepted when its first 55
   * characters parse and the next character, if any, is a dash (only its sampled flag is kept).
   * Leading and trailing blanks are ignored.
   *
   * @param header the header value; may be null
   * @return the parsed value, or empty if the header is absent or invalid (wrong version or format,
   *     uppercase hex, an all-zero id), in which case the receiver starts a trace of its own
   */
  public static Optional<TraceParent> parse(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.strip();
    if (h.length() < LENGTH || h.charAt(2) != '-' || h.charAt(35) != '-' || h.charAt(52) != '-') {
      return Optional.empty();
    }
    int version = hexByte(h, 0);
    if (version < 0 || version == 0xff) {
      return Optional.empty();
    }
    if (version == 0 ? h.length() != LENGTH : h.length() > LENGTH && h.charAt(LENGTH) != '-') {
      return Optional.empty();
    }
    String trace = h.substring(3, 35);
    String parent = h.substring(36, 52);
    int flags = hexByte(h, 53);
    if (!isId(trace, 32) || !isId(parent, 16) || flags < 0) {
      return Optional.empty();
    }
    return Optional.of(new TraceParent(trace, parent, version == 0 ? flags : flags & SAMPLED));
  }

  /**
   * Returns the W3C trace-id of a trace id: itself when it is one (what {@link TraceId#random()}
   * makes), the UUID without dashes for an older 36-character id, else empty (a host's own id that
   * cannot travel in a {@code traceparent}).
   *
   * @param traceId the trace id
   * @return its 32 lowercase hex characters, or empty
   */
  public static Optional<String> w3cTraceId(TraceId traceId) {
    String v = Objects.requireNonNull(traceId, "traceId cannot be null").value();
    if (v.length() == 32) {
      return isId(v, 32) ? Optional.of(v) : Optional.empty();
    }
    if (v.length() != 36
        || v.charAt(8) != '-'
        || v.charAt(13) != '-'
        || v.charAt(18) != '-'
        || v.charAt(23) != '-') {
      return Optional.empty();
    }
    String hex =
        (v.substring(0, 8)
                + v.substring(9, 13)
                + v.substring(14, 18)
                + v.substring(19, 23)
                + v.substring(24))
            .toLowerCase(Locale.ROOT);
    return isId(hex, 32) ? Optional.of(hex) : Optional.empty();
  }

  /**
   * Returns the {@code traceparent} of a message or request sent now in a trace: the trace's W3C
   * trace-id, a new span id (each hop is a span of its own), and the flags of the traceparent the
   * trace was received with, or sampled when there is none or it belongs to another trace.
   *
   * @param trace the trace the message belongs to
   * @param received the headers the entry was received or stored with (its {@link #HEADER}, if any,
   *     gives the flags)
   * @return the traceparent, or empty if the trace id cannot be a W3C trace-id
   */
  public static Optional<TraceParent> next(TraceId trace, Map<String, String> received) {
    Optional<String> id = w3cTraceId(trace);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    int flags =
        received(id.get(), received).map(TraceParent::flags).orElse(SAMPLED); // PostOffice began
    return Optional.of(new TraceParent(id.get(), randomSpanId(), flags));
  }

  /**
   * Returns the {@code tracestate} to send with a message of a trace: the one received with it,
   * unchanged, when it came with a valid traceparent of the same trace; else empty (a tracestate
   * belongs to its traceparent and is dropped with it).
   *
   * @param trace the trace the message belongs to
   * @param received the headers the entry was received or stored with
   * @return the tracestate, or empty
   */
  public static Optional<String> tracestate(TraceId trace, Map<String, String> received) {
    String state = received.get(STATE_HEADER);
    if (state == null || state.isBlank()) {
      return Optional.empty();
    }
    Optional<String> id = w3cTraceId(trace);
    return id.isPresent() && received(id.get(), received).isPresent()
        ? Optional.of(state)
        : Optional.empty();
  }

  private static Optional<TraceParent> received(String traceId, Map<String, String> received) {
    return parse(received.get(HEADER)).filter(p -> p.traceId.equals(traceId));
  }

  /**
   * Returns a random span id: 16 lowercase hex characters, never all zeros.
   *
   * @return the span id
   */
  public static String randomSpanId() {
    long bits;
    do {
      bits = ThreadLocalRandom.current().nextLong();
    } while (bits == 0);
    char[] out = new char[16];
    hex(bits, out, 0);
    return new String(out);
  }

  /**
   * Returns whether the sampled flag is set.
   *
   * @return true if sampled
   */
  public boolean isSampled() {
    return (flags & SAMPLED) != 0;
  }

  /**
   * Returns the trace id this traceparent gives a message.
   *
   * @return the trace id
   */
  public TraceId toTraceId() {
    return TraceId.of(traceId);
  }

  /**
   * Returns the header value, in version {@code 00}.
   *
   * @return {@code 00-<trace-id>-<parent-id>-<flags>}
   */
  public String format() {
    return "00-" + traceId + '-' + parentId + '-' + HEX[flags >> 4] + HEX[flags & 0xf];
  }

  /** Returns {@link #format()}. */
  @Override
  public String toString() {
    return format();
  }

  /** Writes 16 lowercase hex characters of {@code bits} from {@code at}. */
  static void hex(long bits, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }

  private static boolean isId(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    boolean zero = true;
    for (int i = 0; i < length; i++) {
      char c = s.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
      zero &= c == '0';
    }
    return !zero;
  }

  /** The byte two lowercase hex characters at {@code at} spell, or -1. */
  private static int hexByte(String s, int at) {
    int hi = digit(s.charAt(at));
    int lo = digit(s.charAt(at + 1));
    return hi < 0 || lo < 0 ? -1 : hi << 4 | lo;
  }

  private static int digit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }
}
