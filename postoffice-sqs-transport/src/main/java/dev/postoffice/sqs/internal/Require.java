package dev.postoffice.sqs.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages come from the same bounds the checks use. */
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
   * Checks that a duration is within bounds.
   *
   * @param value the value
   * @param min the shortest allowed
   * @param max the longest allowed
   * @param name the property's name
   * @return the value
   * @throws NullPointerException if value is null
   * @throws IllegalArgumentException "name must be between min and max, but was value"
   */
  public static Duration between(Duration value, Duration min, Duration max, String name) {
    nonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", but was " + value);
    }
    return value;
  }

  /**
   * Checks that a duration is a whole number of seconds within bounds.
   *
   * @param value the value
   * @param min the shortest allowed
   * @param max the longest allowed
   * @param name the property's name
   * @return the value
   * @throws IllegalArgumentException if out of bounds or not a whole number of seconds
   */
  public static Duration wholeSeconds(Duration value, Duration min, Duration max, String name) {
    between(value, min, max, name);
    if (value.getNano() != 0) {
      throw new IllegalArgumentException(
          name + " must be a whole number of seconds (SQS counts in seconds), but was " + value);
    }
    return value;
  }
}
