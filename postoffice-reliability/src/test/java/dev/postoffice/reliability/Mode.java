package dev.postoffice.reliability;

/**
 * Short (default, runs in {@code ./mvnw verify}) or long mode ({@code
 * -Dpostoffice.reliability.long=true}), and the seed every random choice of the suites derives from
 * ({@code -Dpostoffice.reliability.seed=N}).
 */
final class Mode {
  /** True in the long mode. */
  static final boolean LONG = Boolean.getBoolean("postoffice.reliability.long");

  /** The seed of every {@link java.util.Random} in the suites. */
  static final long SEED = Long.getLong("postoffice.reliability.seed", 20261128L);

  private Mode() {}

  /**
   * Picks a figure by mode; a system property of the given name overrides both.
   *
   * @param property the overriding property, such as {@code postoffice.reliability.messages}
   * @param shortValue the short mode's value
   * @param longValue the long mode's value
   * @return the value to use
   */
  static int pick(String property, int shortValue, int longValue) {
    return Integer.getInteger(property, LONG ? longValue : shortValue);
  }

  /**
   * @return "long" or "short", for the printed figures
   */
  static String name() {
    return LONG ? "long" : "short";
  }
}
