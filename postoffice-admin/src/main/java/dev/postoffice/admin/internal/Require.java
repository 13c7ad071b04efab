package dev.postoffice.admin.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks whose messages come from the same bounds the checks use. */
public final class Require {
  private Require() {}

  /**
   * Checks a value is not null.
   *
   * @param value the value
   * @param name the property name
   * @param <T> its type
   * @return the value
   * @throws NullPointerException "name cannot be null"
   */
  public static <T> T nonNull(T value, String name) {
    return Objects.requireNonNull(value, () -> name + " cannot be null");
  }

  /**
   * Checks a duration is within bounds.
   *
   * @param value the value
   * @param min the shortest allowed
   * @param max the longest allowed
   * @param name the property name
   * @return the value
   * @throws NullPointerException if value is null
   * @throws IllegalArgumentException "name must be between min and max, but was value"
   */
  public static Duration between(Duration value, Duration min, Duration max, String name) {
    nonNull(value, name);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(message(name, min, max, value));
    }
    return value;
  }

  /**
   * Checks a double is within bounds.
   *
   * @param value the value
   * @param min the smallest allowed
   * @param max the largest allowed
   * @param name the property name
   * @return the value
   * @throws IllegalArgumentException "name must be between min and max, but was value"
   */
  public static double between(double value, double min, double max, String name) {
    if (!(value >= min && value <= max)) {
      throw new IllegalArgumentException(message(name, min, max, value));
    }
    return value;
  }

  /**
   * Checks an int is within bounds.
   *
   * @param value the value
   * @param min the smallest allowed
   * @param max the largest allowed
   * @param name the property name
   * @return the value
   * @throws IllegalArgumentException "name must be between min and max, but was value"
   */
  public static int between(int value, int min, int max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(message(name, min, max, value));
    }
    return value;
  }

  /**
   * Checks a string is neither null nor blank.
   *
   * @param value the value
   * @param name the property name
   * @return the value
   * @throws NullPointerException "name cannot be null"
   * @throws IllegalArgumentException "name cannot be blank"
   */
  public static String nonBlank(String value, String name) {
    if (nonNull(value, name).isBlank()) {
      throw new IllegalArgumentException(name + " cannot be blank");
    }
    return value;
  }

  private static String message(String name, Object min, Object max, Object value) {
    return name + " must be between " + min + " and " + max + ", but was " + value;
  }
}
