/**
 * Messages in: {@code UpstreamIntake} (partner data through an ingestor or {@code Pipeline.intake})
 * and {@code DownstreamIntake} (the Core App's messages from the transport) store before they
 * answer, batch their store calls ({@code IntakeBatcher}) and refuse work when the backlog is full
 * ({@code BacklogGauge}).
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal.intake;
