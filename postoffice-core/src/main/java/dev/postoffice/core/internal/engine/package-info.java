/**
 * Wiring and lifecycle: {@code Engine} is the running {@code Pipeline}; {@code RouteRuntime} builds
 * a route's stages, intakes and workers, starts them and stops them.
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal.engine;
