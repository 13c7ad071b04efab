package dev.postoffice.jdbc.internal;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks that a MariaDB or MySQL server can run the store: claims use {@code SELECT ... FOR UPDATE
 * SKIP LOCKED}, which MariaDB has since 10.6 and MySQL since 8.0.1. An older server would fail
 * every claim with a syntax error; {@link Migrator#migrate} refuses it at once instead, naming the
 * version.
 */
final class ServerVersion {
  private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

  /**
   * MariaDB before 11 reports itself as 5.5.5-&lt;version&gt; in the handshake, for old MySQL
   * clients.
   */
  private static final String REPLICATION_PREFIX = "5.5.5-";

  private ServerVersion() {}

  /**
   * Returns why the server cannot run the store, or empty if it can (or its version cannot be read:
   * the claim query would then say what is wrong).
   *
   * @param productName the JDBC product name, such as {@code "MariaDB"} or {@code "MySQL"}
   * @param productVersion the JDBC product version, such as {@code "10.11.19-MariaDB"} or {@code
   *     "8.0.35"}
   * @return the reason, with a hint
   */
  static Optional<String> refusal(String productName, String productVersion) {
    if (productVersion == null) {
      return Optional.empty();
    }
    String version = productVersion.strip();
    boolean mariaDb =
        version.toLowerCase(Locale.ROOT).contains("mariadb")
            || productName != null
                && productName.toLowerCase(Locale.ROOT).contains("mariadb")
                && !version.startsWith("8.")
                && !version.startsWith("9.");
    if (mariaDb && version.startsWith(REPLICATION_PREFIX)) {
      version = version.substring(REPLICATION_PREFIX.length());
    }
    Matcher m = VERSION.matcher(version);
    if (!m.lookingAt()) {
      return Optional.empty();
    }
    int major = Integer.parseInt(m.group(1));
    int minor = Integer.parseInt(m.group(2));
    int patch = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
    String found = major + "." + minor + (m.group(3) == null ? "" : "." + patch);
    if (mariaDb && (major < 10 || major == 10 && minor < 6)) {
      return Optional.of(
          refuse(
              "MariaDB " + found,
              "MariaDB 10.6",
              productVersion,
              "MariaDB 10.6+, or use MySQL 8.0.1+ or PostgreSQL 12+"));
    }
    if (!mariaDb && (major < 8 || major == 8 && minor == 0 && patch < 1)) {
      return Optional.of(
          refuse(
              "MySQL " + found,
              "MySQL 8.0.1",
              productVersion,
              "MySQL 8.0.1+, or use MariaDB 10.6+ or PostgreSQL 12+"));
    }
    return Optional.empty();
  }

  private static String refuse(String server, String needed, String reported, String hint) {
    return server
        + " cannot run the JDBC store: it needs "
        + needed
        + " or later, for SELECT ... SKIP LOCKED in"
        + " claims (the server reported '"
        + reported
        + "') [Hint: upgrade the server to "
        + hint
        + "]";
  }
}
