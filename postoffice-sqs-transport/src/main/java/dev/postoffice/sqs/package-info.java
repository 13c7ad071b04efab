/**
 * A {@link dev.postoffice.spi.Transport} on Amazon SQS (AWS SDK for Java v2): standard and FIFO
 * queues, batched publishing and deletion, long polling, visibility extension and dead-letter
 * queues. Entry points: {@link dev.postoffice.sqs.SqsTransport#create(SqsTransportSettings)} and
 * {@link dev.postoffice.sqs.SqsTransportSettings#builder()}.
 */
package dev.postoffice.sqs;
