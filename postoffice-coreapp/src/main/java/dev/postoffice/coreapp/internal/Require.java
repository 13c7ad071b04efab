package dev.postoffice.coreapp.internal;

import java.time.Duration;

/**
 * Argument checks for the Core App side, with the same signatures and messages as the engine's
 * {@code dev.postoffice.core.internal.Require}: the receiver will move to its own artifact, which
 * must not depend on the engine. Only the checks this side uses.
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
      throw new IllegalArgumentException(
          name + " must be between " + min + " and " + max + ", but was " + value);
    }
    return value;
  }

  /**
   * Checks a string is not null or blank.
   *
   * @param value the value
   * @param name the property name
   * @return the value
   * @throws NullPointerException "name cannot be null"
   * @throws IllegalArgumentException "name cannot be blank"
   */
  public static String nonBlank(String value, String name) {
    nonNull(value, name);
    if (value.isBlank()) {
      throw new IllegalArgumentException(name + " cannot be blank");
    }
    return value;
  }

  /**
   * Checks an int is at least a bound.
   *
   * @param value the value
   * @param min the smallest allowed
   * @param name the argument's name, for the message
   * @return the value
   * @throws IllegalArgumentException if value is below min
   */
  public static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", but was " + value);
    }
    return value;
  }
}
