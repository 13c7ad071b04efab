package dev.postoffice.admin.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Named parameters of a request, from its query string or its JSON body, read with checks whose 400
 * names the parameter, the rule and the value.
 */
public final class Params {
  private final Map<String, String> values;

  private Params(Map<String, String> values) {
    this.values = values;
  }

  /**
   * Parses a raw query string.
   *
   * @param query the query without {@code ?}, or null
   * @return the parameters; the first value wins when one is repeated
   */
  public static Params ofQuery(String query) {
    Map<String, String> values = new LinkedHashMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (!name.isEmpty()) {
          values.putIfAbsent(name, value);
        }
      }
    }
    return new Params(values);
  }

  /**
   * Wraps values already parsed (a JSON body's fields).
   *
   * @param values the values
   * @return the parameters
   */
  public static Params of(Map<String, String> values) {
    return new Params(new LinkedHashMap<>(values));
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new ApiError(400, "the query string is not URL-encoded: " + e.getMessage(), null);
    }
  }

  /**
   * Returns a parameter's value; a blank value counts as absent.
   *
   * @param name the name
   * @return the value, trimmed
   */
  public Optional<String> text(String name) {
    String v = values.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /**
   * Returns a required parameter.
   *
   * @param name the name
   * @return the value
   * @throws ApiError 400 if it is missing
   */
  public String required(String name) {
    return text(name).orElseThrow(() -> ApiError.badParameter(name, "is required", null));
  }

  /**
   * Returns a parameter that names an enum constant, in any case.
   *
   * @param name the name
   * @param type the enum
   * @param <E> the enum
   * @return the constant, if given
   * @throws ApiError 400 listing the allowed values if it names none
   */
  public <E extends Enum<E>> Optional<E> enumValue(String name, Class<E> type) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    String wanted = v.get().toUpperCase(Locale.ROOT).replace(' ', '_').replace('-', '_');
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(wanted)) {
        return Optional.of(e);
      }
    }
    String allowed =
        Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    throw ApiError.badParameter(name, "must be one of " + allowed, v.get());
  }

  /**
   * Returns a parameter that is an ISO-8601 instant, such as {@code 2026-12-07T03:00:00Z}.
   *
   * @param name the name
   * @return the instant, if given
   * @throws ApiError 400 if it is not one
   */
  public Optional<Instant> instant(String name) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(v.get()));
    } catch (DateTimeParseException e) {
      throw ApiError.badParameter(
          name, "must be an ISO-8601 instant such as 2026-12-07T03:00:00Z", v.get());
    }
  }

  /**
   * Returns an integer parameter within bounds.
   *
   * @param name the name
   * @param min the smallest allowed
   * @param max the largest allowed
   * @param fallback the value when absent
   * @return the value
   * @throws ApiError 400 if it is not a number within the bounds
   */
  public int integer(String name, int min, int max, int fallback) {
    Optional<String> v = text(name);
    if (v.isEmpty()) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiError.badParameter(
        name, "must be a whole number between " + min + " and " + max, v.get());
  }
}
