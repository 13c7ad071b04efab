package dev.postoffice.coreapp;

import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.coreapp.internal.Require;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Payload;
import dev.postoffice.model.TraceId;
import dev.postoffice.model.TraceParent;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Transport;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.MDC;

/**
 * The Core App's side of layer 4 downstream: sends core messages to the queue a PostOffice
 * downstream route consumes. Give each message a stable id where the core has one (an outbox row
 * id): PostOffice deduplicates on it, so sending again after a crash is safe. Thread-safe.
 *
 * <p>Each message carries a W3C {@code traceparent}: the one the host gives in its headers, else
 * one of the current trace (the trace id a {@link CoreAppReceiver} puts in the MDC while its
 * handler runs, or the host's own tracing's under the same key), so PostOffice files the message
 * under that trace and passes it on to the partner.
 *
 * <pre>{@code
 * CoreAppSender sender = CoreAppSender.create(transport);
 * sender.send("core.shipments", "shipment-" + shipment.id(), shipment).join();
 * }</pre>
 */
public final class CoreAppSender {
  private final Transport transport;
  private final Codec codec;

  private CoreAppSender(Transport transport, Codec codec) {
    this.transport = transport;
    this.codec = codec;
  }

  /**
   * Returns a sender with the default JSON codec.
   *
   * @param transport the transport
   * @return the sender
   */
  public static CoreAppSender create(Transport transport) {
    return create(transport, JacksonCodec.create());
  }

  /**
   * Returns a sender.
   *
   * @param transport the transport
   * @param codec the codec
   * @return the sender
   */
  public static CoreAppSender create(Transport transport, Codec codec) {
    return new CoreAppSender(
        Require.nonNull(transport, "transport"), Require.nonNull(codec, "codec"));
  }

  /**
   * Sends a message with a stable id.
   *
   * @param queue the queue the downstream route consumes
   * @param messageId the message's idempotency key
   * @param message the core message
   * @return a future completing when the broker has it
   */
  public CompletableFuture<Void> send(String queue, String messageId, Object message) {
    return send(queue, messageId, message, Map.of());
  }

  /**
   * Sends a message with a stable id and headers.
   *
   * @param queue the queue the downstream route consumes
   * @param messageId the message's idempotency key
   * @param message the core message
   * @param headers extra headers, such as {@link Transport#HEADER_TRACE_ID} or a W3C {@value
   *     TraceParent#HEADER} (without one, the current trace's is sent: see the class comment)
   * @return a future completing when the broker has it
   */
  public CompletableFuture<Void> send(
      String queue, String messageId, Object message, Map<String, String> headers) {
    Require.nonBlank(queue, "queue");
    Require.nonBlank(messageId, "messageId");
    Payload payload = codec.encode(Require.nonNull(message, "message"));
    return transport.publish(
        queue,
        new OutboundMessage(messageId, traced(headers), payload.bytes(), payload.contentType()));
  }

  /**
   * Adds a {@code traceparent} of the current trace (the MDC's {@value
   * CoreAppReceiver#MDC_TRACE_ID}, set while a receiver's handler runs) unless the host gives one.
   */
  private static Map<String, String> traced(Map<String, String> headers) {
    Map<String, String> given = headers == null ? Map.of() : headers;
    if (given.containsKey(TraceParent.HEADER)) {
      return given;
    }
    String current = MDC.get(CoreAppReceiver.MDC_TRACE_ID);
    if (current == null || current.isBlank() || current.length() > EntryId.MAX_LENGTH) {
      return given;
    }
    return TraceParent.next(TraceId.of(current), Map.of())
        .<Map<String, String>>map(
            p -> {
              Map<String, String> out = new HashMap<>(given);
              out.put(TraceParent.HEADER, p.format());
              return out;
            })
        .orElse(given);
  }

  /**
   * Sends a message with a random id (use only when the core cannot send the same message twice).
   *
   * @param queue the queue
   * @param message the core message
   * @return a future completing with the message id when the broker has it
   */
  public CompletableFuture<String> send(String queue, Object message) {
    String id = UUID.randomUUID().toString();
    return send(queue, id, message).thenApply(v -> id);
  }
}
