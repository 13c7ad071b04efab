/**
 * The binder's implementation: the event meters and the cached store gauges. No compatibility
 * promise; nothing outside this module may use it.
 */
package dev.postoffice.micrometer.internal;
