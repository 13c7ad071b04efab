package dev.postoffice.core.internal;

import java.time.Duration;
import java.util.List;

/**
 * Argument checks whose messages come from the same bounds the checks use, so the two cannot drift
 * apart. Each check either throws (eager, for builders' setters) or adds to a list of errors (for
 * {@code build()}).
 */
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
    // Not Objects.requireNonNull with a message supplier: that lambda captures the name, and is
    // made on every call (the store checks every element of every batch with this).
    if (value == null) {
      throw new NullPointerException(name + " cannot be null");
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
      throw new IllegalArgumentException(betweenMessage(name, min, max, value));
    }
    return value;
  }

  /**
   * Checks an int has a lower bound only.
   *
   * @param value the value
   * @param min the smallest allowed
   * @param name the property name
   * @return the value
   * @throws IllegalArgumentException "name must be >= min, but was value"
   */
  public static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", but was " + value);
    }
    return value;
  }

  /**
   * Checks a long is within bounds.
   *
   * @param value the value
   * @param min the smallest allowed
   * @param max the largest allowed
   * @param name the property name
   * @return the value
   * @throws IllegalArgumentException "name must be between min and max, but was value"
   */
  public static long between(long value, long min, long max, String name) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(betweenMessage(name, min, max, value));
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
      throw new IllegalArgumentException(betweenMessage(name, min, max, value));
    }
    return value;
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
      throw new IllegalArgumentException(betweenMessage(name, min, max, value));
    }
    return value;
  }

  /**
   * Checks a string is not null or blank.
   *
   * @param value the value
   * @param name the property name
   * @return the value
   */
  public static String nonBlank(String value, String name) {
    nonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " cannot be blank");
    }
    return value;
  }

  /**
   * Runs a check and, instead of throwing, adds its message to a list, prefixed with a property
   * path.
   *
   * @param errors where to add the message
   * @param path the property path, such as {@code route[acme-orders]}
   * @param check the check
   */
  public static void collect(List<String> errors, String path, Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException | NullPointerException e) {
      errors.add(path + ": " + e.getMessage());
    }
  }

  private static String betweenMessage(String name, Object min, Object max, Object value) {
    return name + " must be between " + min + " and " + max + ", but was " + value;
  }
}
