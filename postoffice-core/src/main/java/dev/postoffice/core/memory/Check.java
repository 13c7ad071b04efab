package dev.postoffice.core.memory;

import java.util.Objects;

/** Argument checks whose messages are made from the same bounds the checks use. */
final class Check {
  private Check() {}

  static <T> T notNull(T value, String name) {
    return Objects.requireNonNull(value, () -> name + " cannot be null");
  }

  static int atLeast(int value, int min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", but was " + value);
    }
    return value;
  }
}
