package dev.postoffice.model;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * The bytes of a message and their content type. Immutable: {@link #of} and {@link #bytes()} copy
 * the bytes in and out; {@link #wrap} and {@link #asInputStream()} are the copy-free ways for code
 * that handles every message (codecs, transports, stores), where a copy per call is what the
 * pipeline spends most of its allocations on.
 */
public final class Payload {
  /** Content type of JSON payloads. */
  public static final String JSON = "application/json";

  /** Content type of payloads whose type is unknown. */
  public static final String OCTET_STREAM = "application/octet-stream";

  private final byte[] bytes;
  private final String contentType;

  private Payload(byte[] bytes, String contentType) {
    this.bytes = bytes;
    this.contentType = contentType;
  }

  /**
   * Returns a payload holding a copy of the bytes.
   *
   * @param bytes the bytes
   * @param contentType their media type, such as {@code application/json}
   * @return the payload
   * @throws NullPointerException if an argument is null
   */
  public static Payload of(byte[] bytes, String contentType) {
    Objects.requireNonNull(bytes, "bytes cannot be null");
    Objects.requireNonNull(contentType, "contentType cannot be null");
    return new Payload(bytes.clone(), contentType);
  }

  /**
   * Returns a payload that takes ownership of the bytes instead of copying them: the caller must
   * not change the array afterwards (as with {@link java.nio.ByteBuffer#wrap(byte[])}). For arrays
   * that were made for this payload and are handed over, such as a serializer's output or a body
   * just read off the wire.
   *
   * @param bytes the bytes, no longer the caller's to change
   * @param contentType their media type, such as {@code application/json}
   * @return the payload
   * @throws NullPointerException if an argument is null
   */
  public static Payload wrap(byte[] bytes, String contentType) {
    Objects.requireNonNull(bytes, "bytes cannot be null");
    Objects.requireNonNull(contentType, "contentType cannot be null");
    return new Payload(bytes, contentType);
  }

  /**
   * Returns a UTF-8 payload of a string.
   *
   * @param text the text
   * @param contentType its media type
   * @return the payload
   */
  public static Payload ofUtf8(String text, String contentType) {
    Objects.requireNonNull(text, "text cannot be null");
    Objects.requireNonNull(contentType, "contentType cannot be null");
    return new Payload(text.getBytes(StandardCharsets.UTF_8), contentType);
  }

  /**
   * Returns a JSON payload of a string.
   *
   * @param json the JSON text
   * @return the payload
   */
  public static Payload json(String json) {
    return ofUtf8(json, JSON);
  }

  /**
   * Returns a copy of the bytes.
   *
   * @return the bytes
   */
  public byte[] bytes() {
    return bytes.clone();
  }

  /**
   * Returns a stream over the bytes, without copying them.
   *
   * @return a new stream positioned at the first byte
   */
  public InputStream asInputStream() {
    return new ByteArrayInputStream(bytes);
  }

  /**
   * Returns the number of bytes.
   *
   * @return the size
   */
  public int size() {
    return bytes.length;
  }

  /**
   * Returns the media type.
   *
   * @return the content type
   */
  public String contentType() {
    return contentType;
  }

  /**
   * Decodes the bytes as UTF-8.
   *
   * @return the text
   */
  public String asUtf8() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Payload other
        && contentType.equals(other.contentType)
        && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return 31 * contentType.hashCode() + Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Payload[" + contentType + ", " + bytes.length + " bytes]";
  }
}
