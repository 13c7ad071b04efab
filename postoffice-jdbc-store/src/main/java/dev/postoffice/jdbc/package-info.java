/**
 * A {@link dev.postoffice.spi.StatusStore} on JDBC (jdbi3) for PostgreSQL, MariaDB/MySQL and H2:
 * {@link dev.postoffice.jdbc.JdbcStatusStore} and {@link dev.postoffice.jdbc.JdbcDialect}. The Core
 * App's durable receipt log is {@code dev.postoffice.coreapp.jdbc.JdbcReceiptLog} in
 * postoffice-coreapp (its migration creates only its own table; this store's migration creates the
 * same table too, under the store's prefix).
 */
package dev.postoffice.jdbc;
