package dev.postoffice.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Carries messages between PostOffice and the Core App through a broker (RabbitMQ, SQS, or in
 * memory). A destination is a queue name; the transport creates or verifies it in {@link
 * #declare(String)}.
 *
 * <p>Delivery is at least once: a handler may see a message again (after a requeue, a lost
 * acknowledgement, a consumer crash), always with the same {@link InboundMessage#messageId()}.
 * Receivers deduplicate on it.
 *
 * <p>Implementations are thread-safe. Run {@code TransportContract} from {@code postoffice-testkit}
 * against any new implementation.
 */
public interface Transport extends AutoCloseable {
  /** Header carrying the trace id of the entry a message comes from. */
  String HEADER_TRACE_ID = "postoffice-trace-id";

  /** Header carrying the route name. */
  String HEADER_ROUTE = "postoffice-route";

  /** Header carrying, on an acknowledgement message, the message id it acknowledges. */
  String HEADER_ACK_FOR = "postoffice-ack-for";

  /**
   * Header carrying, on an acknowledgement message that acknowledges several message ids at once,
   * how many (a decimal number); the message's body is then a JSON object whose {@code ackFor} is
   * the array of those ids, for example {@code {"ackFor":["id-1","id-2"]}}. Such a message has no
   * {@link #HEADER_ACK_FOR}.
   */
  String HEADER_ACK_COUNT = "postoffice-ack-count";

  /** Header carrying, on a dead letter, why it was dead-lettered. */
  String HEADER_DEAD_LETTER_REASON = "postoffice-dead-letter-reason";

  /**
   * Returns what this transport can promise.
   *
   * @return the capabilities
   */
  TransportCapabilities capabilities();

  /**
   * Creates the destination and its dead-letter queue if they do not exist (or checks they exist,
   * when the host manages the topology). Idempotent.
   *
   * @param destination the queue name
   * @throws IllegalStateException if the transport is closed
   */
  void declare(String destination);

  /**
   * Returns the name of the queue that receives a destination's dead letters; it can be subscribed
   * to like any destination and needs no {@link #declare} of its own ({@code declare(d)} creates
   * it). Dead letters keep their message id and headers, plus {@link #HEADER_DEAD_LETTER_REASON}
   * where the transport moved them itself (a broker's own redrive, such as SQS's, may carry no
   * reason).
   *
   * @param destination the queue name
   * @return the dead-letter queue's name
   */
  String deadLetterDestination(String destination);

  /**
   * Publishes one message to a declared destination. The future completes when the broker has the
   * message (confirmed, where {@link TransportCapabilities#confirmsPublishes()}), and fails if the
   * broker refused it, could not route it, or did not confirm in time: then the message may or may
   * not have arrived, and publishing it again with the same id is the safe answer. The future fails
   * with {@link dev.postoffice.RejectedInputException} when the message itself can never be
   * accepted (over {@link TransportCapabilities#maxMessageBytes()}), and with {@link
   * dev.postoffice.PermanentFailureException} when the broker refuses it for a reason retrying
   * cannot fix by itself; any other failure is transient. On a closed transport the future fails
   * with {@link IllegalStateException}.
   *
   * @param destination the queue name
   * @param message the message
   * @return a future completing on confirmation
   */
  CompletableFuture<Void> publish(String destination, OutboundMessage message);

  /**
   * Publishes several messages; transports with batch calls use them. Each future completes or
   * fails on its own, as in {@link #publish}.
   *
   * @param destination the queue name
   * @param messages the messages
   * @return one future per message, in order
   */
  default List<CompletableFuture<Void>> publishAll(
      String destination, List<OutboundMessage> messages) {
    List<CompletableFuture<Void>> futures = new ArrayList<>(messages.size());
    for (OutboundMessage message : messages) {
      futures.add(publish(destination, message));
    }
    return futures;
  }

  /**
   * Starts consuming a declared destination. Each message is handed to the handler and settled with
   * the broker only after the handler returns: acknowledged, requeued for redelivery, released (put
   * back without counting as a delivery: see {@link Disposition.Kind#RELEASE}), or moved to the
   * dead-letter queue with the reason. A message requeued on its last allowed delivery (the
   * transport's configured maximum deliveries) is dead-lettered instead of delivered again;
   * releases never bring a message closer to that limit. The subscription can be {@link
   * Subscription#pause() paused} and resumed.
   *
   * @param destination the queue name
   * @param handler the handler; it may be called from several threads at once; a {@link
   *     BatchMessageHandler} gets the messages taken from the broker together in one call
   * @return the running subscription
   * @throws IllegalStateException if the transport is closed
   */
  Subscription subscribe(String destination, MessageHandler handler);

  /** Stops every subscription and releases connections. */
  @Override
  void close();
}
