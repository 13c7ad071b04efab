/**
 * A durable receipt log on the Core App's own database (PostgreSQL, MariaDB/MySQL, H2) over plain
 * JDBC: {@link dev.postoffice.coreapp.jdbc.JdbcReceiptLog}. It needs only the host's {@code
 * DataSource} and driver, and creates only its own table.
 */
package dev.postoffice.coreapp.jdbc;
