package dev.postoffice.model;

import java.nio.ByteBuffer;
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
   * One MD5 digest per thread: MessageDigest is not thread-safe, and looking one up per id is slow.
   */
  private static final ThreadLocal<MessageDigest> MD5 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("MD5");
            } catch (NoSuchAlgorithmException e) {
              throw new InternalError("MD5 is required of every Java platform", e);
            }
          });

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
    byte[] md5 = MD5.get().digest(name);
    md5[6] &= 0x0f; // version 3
    md5[6] |= 0x30;
    md5[8] &= 0x3f; // IETF variant
    md5[8] |= (byte) 0x80;
    ByteBuffer bits = ByteBuffer.wrap(md5); // big-endian, as UUID.nameUUIDFromBytes reads them
    return new UUID(bits.getLong(), bits.getLong());
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
    long prefix = parsed.getMostSignificantBits() & 0xFFFFFFFFFFFF0000L;
    long msb = prefix | 0x7000L | (hashed.getMostSignificantBits() & 0x0FFFL);
    long lsb = (hashed.getLeastSignificantBits() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb);
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
