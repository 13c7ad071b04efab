package dev.postoffice.spi;

/**
 * What a transport can promise; the contract suite skips, with a message, what a transport declares it
 * cannot do.
 *
 * @param durable whether published messages survive a restart of the broker or the process
 * @param confirmsPublishes whether a completed publish means the broker has the message
 * @param deliveryCount whether {@link InboundMessage#deliveryCount()} is reported
 * @param maxMessageBytes the largest body accepted, or {@link Integer#MAX_VALUE} if unlimited
 */
public record TransportCapabilities(
    boolean durable, boolean confirmsPublishes, boolean deliveryCount, int maxMessageBytes) {}
