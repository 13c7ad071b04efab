package dev.postoffice.model;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a route: one partner, one kind of message, one direction (for example {@code
 * acme-orders}).
 *
 * <p>Route ids are lower-case letters, digits, {@code .}, {@code _} and {@code -}, start with a
 * letter or digit and are at most {@value #MAX_LENGTH} characters long, so they are safe as queue
 * names, metric tags and database keys alike.
 *
 * @param value the route name
 */
public record RouteId(String value) implements Comparable<RouteId> {
  /** The longest route id accepted. */
  public static final int MAX_LENGTH = 100;

  private static final Pattern VALID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

  /**
   * Checks the value.
   *
   * @throws NullPointerException if value is null
   * @throws IllegalArgumentException if value is not a valid route id
   */
  public RouteId {
    Objects.requireNonNull(value, "route cannot be null");
    if (value.isEmpty() || value.length() > MAX_LENGTH || !VALID.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "route must be 1 to "
              + MAX_LENGTH
              + " characters of [a-z0-9._-] starting with a letter or digit,"
              + " but was '"
              + value
              + "'");
    }
  }

  /**
   * Returns the route id for a name.
   *
   * @param value the route name
   * @return the route id
   */
  public static RouteId of(String value) {
    return new RouteId(value);
  }

  @Override
  public int compareTo(RouteId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
