package dev.postoffice.coreapp;

import java.util.Map;

/**
 * What the Core App knows about a message besides its body.
 *
 * @param messageId the idempotency key: the layer-4 entry id in PostOffice
 * @param traceId the trace id, to look the message up in PostOffice's operator API; null if absent
 * @param route the route it came through; null if absent
 * @param headers every header
 */
public record CoreMessageContext(
    String messageId, String traceId, String route, Map<String, String> headers) {}
