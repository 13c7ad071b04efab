/**
 * The SQS transport's machinery: queue naming and declaration, message encoding, batching, polling
 * and settlement. Internal: no compatibility promise; use {@link dev.postoffice.sqs.SqsTransport}
 * and {@link dev.postoffice.sqs.SqsTransportSettings} instead.
 */
package dev.postoffice.sqs.internal;
