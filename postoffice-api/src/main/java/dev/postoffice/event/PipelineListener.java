package dev.postoffice.event;

/**
 * Observes a running pipeline, for metrics, alerts and audit: every status change, every delivery,
 * every broker confirm or publish failure, every dead-lettered or redelivered message, a route's
 * backlog, and the engine's own trouble. Every method has a no-op default; implement what you need
 * ({@code postoffice-micrometer} turns them into meters).
 *
 * <p>Called on engine threads after the store has the change: return quickly and do not throw
 * (exceptions are logged and ignored). A listener that does slow work (I/O) should hand the event
 * to a thread of its own.
 */
public interface PipelineListener {
  /** A listener that does nothing. */
  PipelineListener EMPTY = new PipelineListener() {};

  /**
   * A stage started a batch.
   *
   * @param event the batch's size
   */
  default void onStageStarted(StageStarted event) {}

  /**
   * A stage finished a batch.
   *
   * @param event the batch's figures
   */
  default void onStageFinished(StageFinished event) {}

  /**
   * A stage failed on an entry.
   *
   * @param event the failure
   */
  default void onEntryFailed(EntryFailed event) {}

  /**
   * A stage's worker died and was replaced (an alert worth raising: it means an {@link Error} or a
   * bug).
   *
   * @param event which worker, why, and how many so far
   */
  default void onWorkerReplaced(WorkerReplaced event) {}

  /**
   * An entry's status changed (or it was created with one), and the store has it.
   *
   * @param event the entry, the move and when
   */
  default void onStatusChanged(StatusChanged event) {}

  /**
   * A message reached the end of its route: acknowledged by the Core App, or dispatched to the
   * partner.
   *
   * @param event the entry and its latencies
   */
  default void onMessageDelivered(MessageDelivered event) {}

  /**
   * The broker confirmed a batch of layer-4 messages.
   *
   * @param event the route, destination, count and time to confirm
   */
  default void onPublishConfirmed(PublishConfirmed event) {}

  /**
   * A route's backlog was counted (sampled, not per message).
   *
   * @param event the route and how many entries wait in it
   */
  default void onBacklogSampled(BacklogSampled event) {}

  /**
   * A layer-4 publish call failed for some or all of its messages (nack, return, timeout, lost
   * connection); they are published again.
   *
   * @param event the route, destination, count and reason
   */
  default void onPublishFailed(PublishFailed event) {}

  /**
   * PostOffice dead-lettered a message it consumed (an alert worth raising: the message needs an
   * operator).
   *
   * @param event the route (null for the acknowledgement queue), queue, message and reason
   */
  default void onMessageDeadLettered(MessageDeadLettered event) {}

  /**
   * PostOffice consumed a message the broker delivered before.
   *
   * @param event the route (null for the acknowledgement queue), queue and delivery count
   */
  default void onMessageRedelivered(MessageRedelivered event) {}
}
