package dev.postoffice.model;

import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Makes UUIDs in the version 7 layout (48 bits of Unix milliseconds, version, random bits,
 * variant), which sort by creation time. Random UUIDs scatter inserts over every page of an index;
 * time-ordered ones append, which keeps a database store's cost per message flat as the tables
 * grow.
 */
final class TimeOrderedIds {
  /**
   * One MD5 digest per thread, with room for a derived id's name and digest: MessageDigest is not
   * thread-safe, and looking one up per id is slow.
   */
  private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

  private static final class Scratch {
    final MessageDigest md5;
    // An EntryId's value (64 characters at most), "/", two ints and a "/".
    final byte[] name = new byte[EntryId.MAX_LENGTH + 2 + 2 * 11];
    final byte[] digest = new byte[16];

    Scratch() {
      try {
        md5 = MessageDigest.getInstance("MD5");
      } catch (NoSuchAlgorithmException e) {
        throw new InternalError("MD5 is required of every Java platform", e);
      }
    }
  }

  private TimeOrderedIds() {}

  static UUID next() {
    long millis = System.currentTimeMillis();
    // Ids need to be unique, not unguessable: 74 random bits per millisecond from a thread-local
    // generator
    // (no contention, unlike SecureRandom) make a collision practically impossible.
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long randA = random.nextLong();
    long randB = random.nextLong();
    long msb = (millis << 16) | 0x7000L | (randA & 0x0FFFL);
    long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /** What {@link UUID#nameUUIDFromBytes(byte[])} returns, computed on this thread's digest. */
  static UUID nameBased(byte[] name) {
    Scratch scratch = SCRATCH.get();
    scratch.md5.update(name);
    return nameBased(scratch);
  }

  /**
   * The id derived from a source, its generation and an index: the name-based UUID of {@code
   * "source/generation/index"} in UTF-8, with the source's time prefix when it has one (see {@link
   * #withTimeOf}). The name is written into a per-thread buffer rather than built as a string and
   * encoded, when it is ASCII (it nearly always is: ids are UUIDs), and the time prefix is read
   * without parsing the whole source; the result is the same either way.
   */
  static UUID derived(String source, int generation, int index) {
    Scratch scratch = SCRATCH.get();
    int length = asciiName(source, generation, index, scratch.name);
    if (length < 0) {
      scratch.md5.update(
          (source + "/" + generation + "/" + index).getBytes(StandardCharsets.UTF_8));
    } else {
      scratch.md5.update(scratch.name, 0, length);
    }
    UUID hashed = nameBased(scratch);
    long prefix = timePrefix(source);
    if (prefix == NOT_CANONICAL) {
      return withTimeOf(source, hashed); // the general parse, for anything but a plain UUID
    }
    return prefix == NO_PREFIX ? hashed : withPrefix(prefix, hashed);
  }

  /** Digests what was fed to this thread's digest, as {@link UUID#nameUUIDFromBytes} would. */
  private static UUID nameBased(Scratch scratch) {
    byte[] md5 = scratch.digest;
    try {
      scratch.md5.digest(md5, 0, md5.length); // resets the digest
    } catch (DigestException e) {
      throw new InternalError("an MD5 digest is 16 bytes", e);
    }
    md5[6] &= 0x0f; // version 3
    md5[6] |= 0x30;
    md5[8] &= 0x3f; // IETF variant
    md5[8] |= (byte) 0x80;
    // big-endian, as UUID.nameUUIDFromBytes reads them
    return new UUID(bigEndian(md5, 0), bigEndian(md5, 8));
  }

  private static long bigEndian(byte[] bytes, int from) {
    long value = 0;
    for (int i = from; i < from + 8; i++) {
      value = (value << 8) | (bytes[i] & 0xFF);
    }
    return value;
  }

  /**
   * Writes {@code source/generation/index} into {@code out} as UTF-8 and returns its length, or -1
   * if the source is not ASCII or a number is negative (the caller encodes the string then).
   */
  private static int asciiName(String source, int generation, int index, byte[] out) {
    int n = source.length();
    if (generation < 0 || index < 0 || n > EntryId.MAX_LENGTH) {
      return -1;
    }
    for (int i = 0; i < n; i++) {
      char c = source.charAt(i);
      if (c >= 0x80) {
        return -1;
      }
      out[i] = (byte) c;
    }
    out[n++] = '/';
    n = writeDecimal(generation, out, n);
    out[n++] = '/';
    return writeDecimal(index, out, n);
  }

  /** Writes a non-negative int in decimal, as Integer.toString does; returns the next position. */
  private static int writeDecimal(int value, byte[] out, int at) {
    int digits = 1;
    for (int v = value; v >= 10; v /= 10) {
      digits++;
    }
    int end = at + digits;
    int v = value;
    for (int i = end - 1; i >= at; i--) {
      out[i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    return end;
  }

  private static final long NOT_CANONICAL = -1L;
  private static final long NO_PREFIX = -2L;

  /**
   * The time prefix (the top 48 bits) of a source in the canonical UUID form (36 characters, dashes
   * at 8, 13, 18 and 23, hex digits elsewhere), which {@link UUID#fromString} reads as plain hex
   * too: {@link #NO_PREFIX} unless it is version 7. {@link #NOT_CANONICAL} for any other string,
   * which {@link #withTimeOf} parses as before. (Both markers are negative; a prefix has its low 16
   * bits zero, so neither is a prefix.)
   */
  private static long timePrefix(String source) {
    if (source.length() != 36 || source.charAt(14) != '7') {
      return NO_PREFIX; // what parse answers: only a version 7 UUID keeps its time prefix
    }
    if (source.charAt(8) != '-'
        || source.charAt(13) != '-'
        || source.charAt(18) != '-'
        || source.charAt(23) != '-') {
      return NOT_CANONICAL;
    }
    // A table rather than comparisons: the digits of an id are random, and a branch per digit
    // would be mispredicted every other time.
    long prefix = nibbles(source, 0, 8) << 16 | nibbles(source, 9, 13);
    long rest = nibbles(source, 14, 18) | nibbles(source, 19, 23) | nibbles(source, 24, 36);
    if ((prefix | rest) < 0) {
      return NOT_CANONICAL;
    }
    return prefix << 16;
  }

  /** The value of each ASCII hex digit, -1 for other characters below 128. */
  private static final byte[] NIBBLES = new byte[128];

  static {
    java.util.Arrays.fill(NIBBLES, (byte) -1);
    for (int d = 0; d < 10; d++) {
      NIBBLES['0' + d] = (byte) d;
    }
    for (int d = 0; d < 6; d++) {
      NIBBLES['a' + d] = (byte) (10 + d);
      NIBBLES['A' + d] = (byte) (10 + d);
    }
  }

  /**
   * The hex digits of {@code s} from {@code from} to {@code to} (at most 15) as a number, or a
   * negative number if any is not an ASCII hex digit (the digits {@link UUID#fromString} reads as
   * plain hex).
   */
  private static long nibbles(String s, int from, int to) {
    long value = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      long digit = c < 128 ? NIBBLES[c] : -1;
      value = (value << 4) | digit; // a -1 sets every bit, and the rest keep the sign
    }
    return value;
  }

  private static UUID withPrefix(long prefix, UUID hashed) {
    long msb = prefix | 0x7000L | (hashed.getMostSignificantBits() & 0x0FFFL);
    long lsb = (hashed.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
  }

  /**
   * Returns {@code hashed} with the time prefix of {@code source} when source is a version 7 UUID;
   * otherwise {@code hashed} unchanged. Deterministic: the same arguments give the same id on any
   * node.
   */
  static UUID withTimeOf(String source, UUID hashed) {
    UUID parsed = parse(source);
    if (parsed == null || parsed.version() != 7) {
      return hashed;
    }
    return withPrefix(parsed.getMostSignificantBits() & 0xFFFFFFFFFFFF0000L, hashed);
  }

  private static UUID parse(String value) {
    if (value.length() != 36
        || value.charAt(14) != '7') { // only a version 7 UUID keeps its time prefix
      return null;
    }
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
