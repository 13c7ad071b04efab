/**
 * Internals of the RabbitMQ transport: topology, confirming publishers, consumers, message mapping.
 *
 * <p>No compatibility promise: anything here may change in any release. Use {@link
 * dev.postoffice.rabbit.RabbitTransport} and {@link dev.postoffice.rabbit.RabbitTransportSettings}.
 */
package dev.postoffice.rabbit.internal;
