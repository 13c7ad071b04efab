package dev.postoffice.jdbc;

import java.util.Locale;
import java.util.Objects;

/**
 * The databases the JDBC store speaks. One store, one seam: the dialect picks the schema files and
 * the few statements that differ (the claim query, locks for migrations).
 */
public enum JdbcDialect {
  /**
   * PostgreSQL 12 or later: the primary target. Claims with one {@code UPDATE ... SKIP LOCKED
   * RETURNING}.
   */
  POSTGRESQL("postgresql", true),
  /**
   * MariaDB 10.6 or later (and MySQL 8.0.1 or later, where the SQL is the same): claims with {@code
   * SKIP LOCKED}. {@code migrate()} refuses an older server, naming its version.
   */
  MARIADB("mariadb", true),
  /**
   * H2 2.x, embedded: quick starts, examples and tests. Its {@code SKIP LOCKED} does not return the
   * unlocked rows reliably, so claims here select without locks and let the guarded update decide
   * (a claimer that loses a race gets fewer entries, never the same ones).
   */
  H2("h2", false);

  private final String folder;
  private final boolean skipLocked;

  JdbcDialect(String folder, boolean skipLocked) {
    this.folder = folder;
    this.skipLocked = skipLocked;
  }

  /**
   * Returns the folder of this dialect's schema files under {@code dev/postoffice/jdbc/schema/}.
   *
   * @return the folder name, such as {@code "postgresql"}
   */
  public String schemaFolder() {
    return folder;
  }

  /**
   * Tells whether concurrent claimers skip each other's locked rows instead of waiting.
   *
   * @return true if the claim query uses {@code SKIP LOCKED}
   */
  public boolean skipLocked() {
    return skipLocked;
  }

  /**
   * Returns the dialect for a JDBC driver's product name, as {@code
   * DatabaseMetaData#getDatabaseProductName} reports it.
   *
   * @param productName the product name, such as {@code "PostgreSQL"}, {@code "MariaDB"}, {@code
   *     "MySQL"} or {@code "H2"}
   * @return the dialect
   * @throws NullPointerException if productName is null
   * @throws IllegalArgumentException if the database is not supported
   */
  public static JdbcDialect fromProductName(String productName) {
    Objects.requireNonNull(productName, "productName cannot be null");
    String name = productName.toLowerCase(Locale.ROOT);
    if (name.contains("postgres")) {
      return POSTGRESQL;
    }
    if (name.contains("mariadb") || name.contains("mysql")) {
      return MARIADB;
    }
    if (name.equals("h2")) {
      return H2;
    }
    throw new IllegalArgumentException(
        "database '"
            + productName
            + "' is not supported; supported are"
            + " PostgreSQL, MariaDB/MySQL and H2 [Hint: set the dialect explicitly with"
            + " JdbcStatusStore.builder(dataSource).dialect(...) if it speaks one of these]");
  }
}
