package dev.postoffice.rabbit.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Argument checks whose messages are generated from the same bounds the check uses, such as
 * {@code "prefetch must be between 1 and 65535, but was 0"}.
 */
public final class Require {
  private Require() {}

  /**
   * Checks that a number lies within bounds.
   *
   * @param name the property name
   * @param value the value
   * @param min the smallest value allowed
   * @param max the largest value allowed
   * @return the value
   * @throws IllegalArgumentException if the value is out of bounds
   */
  public static int between(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", but was " + value);
    }
    return value;
  }

  /**
   * Checks that a duration is positive.
   *
   * @param name the property name
   * @param value the value
   * @return the value
   * @throws NullPointerException if the value is null
   * @throws IllegalArgumentException if the value is zero or negative
   */
  public static Duration positive(String name, Duration value) {
    notNull(name, value);
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive, but was " + value);
    }
    return value;
  }

  /**
   * Checks that a value is not null.
   *
   * @param name the property name
   * @param value the value
   * @param <T> its type
   * @return the value
   * @throws NullPointerException if the value is null
   */
  public static <T> T notNull(String name, T value) {
    return Objects.requireNonNull(value, () -> name + " cannot be null");
  }

  /**
   * Checks that a string is neither null nor blank and at most {@code maxLength} characters.
   *
   * @param name the property name
   * @param value the value
   * @param maxLength the longest value allowed
   * @return the value
   * @throws NullPointerException if the value is null
   * @throws IllegalArgumentException if the value is blank or too long
   */
  public static String notBlank(String name, String value, int maxLength) {
    notNull(name, value);
    if (value.isBlank() || value.length() > maxLength) {
      throw new IllegalArgumentException(
          name + " must be 1 to " + maxLength + " non-blank characters, but was '" + value + "'");
    }
    return value;
  }
}
