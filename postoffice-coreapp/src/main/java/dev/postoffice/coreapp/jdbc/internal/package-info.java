/**
 * The JDBC receipt log's workings: its statements, the transaction runner and the failure
 * classification. Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.coreapp.jdbc.internal;
