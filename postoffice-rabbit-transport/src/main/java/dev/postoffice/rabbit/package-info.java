/**
 * A {@link dev.postoffice.spi.Transport} on the RabbitMQ Java client: durable queues (classic or
 * quorum), publisher confirms with a bounded window, manual acknowledgements after the handler
 * returns, dead letters carrying their reason, and automatic connection and topology recovery.
 *
 * <pre>{@code
 * Transport transport = RabbitTransport.create(RabbitTransportSettings.builder()
 *     .host("rabbit.internal")
 *     .username("postoffice")
 *     .password(System.getenv("RABBIT_PASSWORD"))
 *     .build());
 * }</pre>
 */
package dev.postoffice.rabbit;
