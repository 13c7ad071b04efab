/**
 * What a stage does with a claimed batch: transform ({@code TransformLogic}), publish to the Core
 * App ({@code PublishLogic}) or dispatch to a partner ({@code DispatchLogic}); the lease guard that
 * keeps a call within the lease, and the failure policy that decides retry or give up.
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal.stage;
