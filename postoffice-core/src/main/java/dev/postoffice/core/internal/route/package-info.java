/**
 * What a route is to the engine: its definition and stages ({@code RouteDefinition}, {@code
 * StageSpec}), the transforms the host supplied, what they output, what the engine shares ({@code
 * EngineContext}), and what every stored entry has in common ({@code Entries}).
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal.route;
