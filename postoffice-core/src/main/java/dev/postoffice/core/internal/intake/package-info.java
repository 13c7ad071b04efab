/**
 * Messages in: {@code UpstreamIntake} (partner data through an ingestor or {@code Pipeline.intake})
 * and {@code DownstreamIntake} (the Core App's messages from the transport) store a message before
 * they answer for it and refuse work when the backlog is full ({@code BacklogGauge}); concurrent
 * upstream submits share store calls ({@code IntakeBatcher}).
 *
 * <p>Internal: no compatibility promise; do not use from other modules.
 */
package dev.postoffice.core.internal.intake;
