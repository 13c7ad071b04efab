package dev.postoffice.coreapp.jdbc;

import java.util.Locale;
import java.util.Objects;

/** The databases {@link JdbcReceiptLog} speaks: the few statements that differ between them. */
public enum ReceiptLogDialect {
  /** PostgreSQL 12 or later. */
  POSTGRESQL,
  /** MariaDB 10.6 or later, and MySQL 8: InnoDB tables, binary collation. */
  MARIADB,
  /** H2 2.x: tests and quick starts. */
  H2;

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
  public static ReceiptLogDialect fromProductName(String productName) {
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
            + "' is not supported; supported are PostgreSQL, MariaDB/MySQL and H2 [Hint: set the"
            + " dialect with JdbcReceiptLog.builder(dataSource).dialect(...) if it speaks one of"
            + " these]");
  }
}
