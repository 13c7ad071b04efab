/**
 * Internals of the built-in dispatchers (rate limiting, Retry-After parsing). No compatibility
 * promise: anything here may change in any release.
 */
package dev.postoffice.core.dispatch.internal;
