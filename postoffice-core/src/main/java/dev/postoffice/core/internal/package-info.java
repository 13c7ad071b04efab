/**
 * The engine: stages, claiming, batching, retries, backpressure, lifecycle. Internal: no compatibility
 * promise; do not use from other modules.
 */
package dev.postoffice.core.internal;
