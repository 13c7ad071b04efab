/**
 * The JDBC store's internals: SQL per dialect, row mapping, batching, retries and the migrator.
 *
 * <p>No compatibility promise: anything here may change in any release. Use {@code
 * dev.postoffice.jdbc}.
 */
package dev.postoffice.jdbc.internal;
