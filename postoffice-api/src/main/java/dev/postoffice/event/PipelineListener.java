package dev.postoffice.event;

/**
 * Observes a running pipeline, for metrics and alerts. Every method has a no-op default; implement
 * what you need. Called on engine threads: return quickly and do not throw (exceptions are logged
 * and ignored).
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
}
