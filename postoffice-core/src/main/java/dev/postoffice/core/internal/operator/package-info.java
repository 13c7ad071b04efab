/**
 * What the engine does for operators: it obeys route pauses kept in the store ({@code RoutePauses})
 * and works through bulk replay jobs ({@code ReplayJobRunner}).
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal.operator;
