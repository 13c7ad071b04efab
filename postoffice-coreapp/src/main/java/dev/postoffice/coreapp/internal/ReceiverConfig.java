package dev.postoffice.coreapp.internal;

import dev.postoffice.coreapp.CoreMessageHandler;
import dev.postoffice.coreapp.TransactionalMessageHandler;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.ReceiptLog;
import dev.postoffice.spi.Transport;
import java.time.Clock;
import java.time.Duration;

/**
 * What a {@code CoreAppReceiver.Builder} was told, fixed once built.
 *
 * @param transport the transport PostOffice publishes on
 * @param receipts the log of handled message ids
 * @param type the core message type
 * @param source the queue consumed
 * @param name the receiver's name in the receipt log
 * @param ackDestination where acknowledgements go
 * @param handler the core's handler; null when {@code transactional} is set
 * @param transactional the handler run in the receipt log's transaction; null when {@code handler}
 *     is set
 * @param codec decodes the messages
 * @param clock for receipt times
 * @param ackTimeout how long sending acknowledgements waits for the broker
 * @param firstHoldPause the first pause before asking an unreachable receipt log again
 * @param maxHoldPause the longest such pause
 * @param receiptLogPatience how long a delivery is held before the handler ran while the receipt
 *     log is unreachable, before it is given back and consumption paused
 * @param <T> the core message type
 */
public record ReceiverConfig<T>(
    Transport transport,
    ReceiptLog receipts,
    Class<T> type,
    String source,
    String name,
    String ackDestination,
    CoreMessageHandler<? super T> handler,
    TransactionalMessageHandler<? super T, Object> transactional,
    Codec codec,
    Clock clock,
    Duration ackTimeout,
    Duration firstHoldPause,
    Duration maxHoldPause,
    Duration receiptLogPatience) {}
