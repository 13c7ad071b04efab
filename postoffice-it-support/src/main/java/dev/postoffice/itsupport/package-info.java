/**
 * What the transports' end-to-end tests share: {@link dev.postoffice.itsupport.EndToEnd} (the local
 * PostgreSQL, the example routes, a partner stand-in, waits) and {@link
 * dev.postoffice.itsupport.CountingTransport} and {@link dev.postoffice.itsupport.Rabbitmqctl}.
 * Used by this repository's tests only; not deployed, no compatibility promise. Transport-specific
 * settings stay in each transport's tests: these helpers take a built {@code Transport}.
 */
package dev.postoffice.itsupport;
