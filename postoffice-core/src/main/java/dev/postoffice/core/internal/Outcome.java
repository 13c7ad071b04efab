package dev.postoffice.core.internal;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import java.util.List;

/**
 * What a stage's work made of one entry, before it is committed: a new status with outputs, or a failure
 * that the {@link FailurePolicy} turns into a status.
 *
 * @param entry the claimed entry
 * @param status the new status, or null for a failure
 * @param detail the history detail
 * @param outputs the outputs to insert
 * @param failure the failure, or null
 */
record Outcome(Entry entry, Status status, String detail, List<Output> outputs, Throwable failure) {
  static Outcome produced(Entry entry, List<Output> outputs) {
    return outputs.isEmpty()
        ? new Outcome(entry, Status.FILTERED, "the stage produced no output", List.of(), null)
        : new Outcome(entry, Status.PROCESSED, outputs.size() + " output(s)", outputs, null);
  }

  static Outcome finished(Entry entry, Status status, String detail) {
    return new Outcome(entry, status, detail, List.of(), null);
  }

  static Outcome failed(Entry entry, Throwable failure) {
    return new Outcome(entry, null, null, List.of(), failure);
  }
}
