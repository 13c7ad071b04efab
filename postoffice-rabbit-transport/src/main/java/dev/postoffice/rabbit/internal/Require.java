package dev.postoffice.rabbit.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks whose messages come from the same bounds the checks use, such as {@code "prefetch
 * must be between 1 and 65535, but was 0"}. {@link #nonNull} and {@link #between} have the
 * signatures and messages of core's and the SQS transport's {@code Require} (value first, name
 * last); the other checks are the ones only this transport needs, in the same shape.
 */
public final class Require {
  private Require() {}

  /**
   * Checks that a value is not null.
   *
   * @param value the value
   * @param name the property's name
   * @param <T> its type
   * @return the value
   * @throws NullPointerException "name cannot be null"
   */
  public static <T> T nonNull(T value, String name) {
    return Objects.requireNonNull(value, () -> name + " cannot be null");
  }

  /**
   * Checks that an int is within bounds.
   *
   * @param value the value
   * @param min the smallest allowed
   * @param max the largest allowed
   * @param name the property's name
   * @return the value
   * @throws IllegalArgumentException "name must be between min and max, but was value"
   */
  public static int between(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", but was " + value);
    }
    return value;
  }

  /**
   * Checks that a duration is positive.
   *
   * @param value the value
   * @param name the property's name
   * @return the value
   * @throws NullPointerException if value is null
   * @throws IllegalArgumentException "name must be positive, but was value"
   */
  public static Duration positive(Duration value, String name) {
    nonNull(value, name);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, but was " + value);
    }
    return value;
  }

  /**
   * Checks that a string is neither null nor blank and at most {@code maxLength} characters (AMQP
   * names are short strings, so every name the transport sends has a length limit).
   *
   * @param value the value
   * @param maxLength the longest allowed
   * @param name the property's name
   * @return the value
   * @throws NullPointerException if value is null
   * @throws IllegalArgumentException "name must be 1 to maxLength non-blank characters, but was
   *     'value'"
   */
  public static String nonBlank(String value, int maxLength, String name) {
    nonNull(value, name);
    if (value.isBlank() || value.length() > maxLength) {
      throw new IllegalArgumentException(
          name + " must be 1 to " + maxLength + " non-blank characters, but was '" + value + "'");
    }
    return value;
  }
}
