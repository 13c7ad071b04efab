/**
 * A {@link dev.postoffice.spi.StatusStore} and a {@link dev.postoffice.spi.ReceiptLog} on JDBC
 * (jdbi3) for PostgreSQL, MariaDB/MySQL and H2: {@link dev.postoffice.jdbc.JdbcStatusStore}, {@link
 * dev.postoffice.jdbc.JdbcReceiptLog} and {@link dev.postoffice.jdbc.JdbcDialect}.
 */
package dev.postoffice.jdbc;
