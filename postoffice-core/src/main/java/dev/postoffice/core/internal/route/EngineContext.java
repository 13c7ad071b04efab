package dev.postoffice.core.internal.route;

import dev.postoffice.event.PipelineListener;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Transport;
import java.time.Clock;
import java.time.Duration;

/**
 * What every part of one engine shares.
 *
 * @param nodeId this node's id, the owner of its leases
 * @param store the store
 * @param transport the transport, or null if no route uses layer 4
 * @param codec the codec
 * @param clock the clock
 * @param listener the listener
 * @param ackDestination the queue Core App acknowledgements arrive on
 * @param manual whether stages run only when {@code runOnce()} is called (tests)
 * @param shutdownTimeout how long {@code close()} waits for in-flight work
 */
public record EngineContext(
    String nodeId,
    StatusStore store,
    Transport transport,
    Codec codec,
    Clock clock,
    PipelineListener listener,
    String ackDestination,
    boolean manual,
    Duration shutdownTimeout) {}
