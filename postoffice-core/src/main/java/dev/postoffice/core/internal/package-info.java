/**
 * The engine's shared utilities, which every engine package may use and which use none of them:
 * argument checks ({@code Require}), the logging context ({@code Mdc}) and the group commit that
 * joins concurrent callers' store writes ({@code GroupCommit}). The engine itself is in the
 * subpackages, bottom up: {@code route} (what a route is to the engine), {@code stage} (what a
 * stage does with a batch), {@code runner} (how a stage's batches are claimed, handed off,
 * committed), {@code intake} (messages in), {@code ack} (the Core App's acknowledgements and
 * republishing), {@code engine} (wiring and lifecycle).
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal;
