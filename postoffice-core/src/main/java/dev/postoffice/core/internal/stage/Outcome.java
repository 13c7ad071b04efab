package dev.postoffice.core.internal.stage;

import dev.postoffice.core.internal.route.Output;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import java.util.List;

/**
 * What a stage's work made of one entry, before it is committed: a new status with outputs, or a
 * failure that the {@link FailurePolicy} turns into a status.
 *
 * @param entry the claimed entry
 * @param status the new status, or null for a failure
 * @param detail the history detail
 * @param outputs the outputs to insert
 * @param failure the failure, or null
 */
public record Outcome(
    Entry entry, Status status, String detail, List<Output> outputs, Throwable failure) {
  /** The usual details, made once rather than per entry. */
  private static final String[] OUTPUT_COUNTS = new String[17];

  static {
    for (int i = 1; i < OUTPUT_COUNTS.length; i++) {
      OUTPUT_COUNTS[i] = i + " output(s)";
    }
  }

  static Outcome produced(Entry entry, List<Output> outputs) {
    int n = outputs.size();
    return n == 0
        ? new Outcome(entry, Status.FILTERED, "the stage produced no output", List.of(), null)
        : new Outcome(
            entry,
            Status.PROCESSED,
            n < OUTPUT_COUNTS.length ? OUTPUT_COUNTS[n] : n + " output(s)",
            outputs,
            null);
  }

  static Outcome finished(Entry entry, Status status, String detail) {
    return new Outcome(entry, status, detail, List.of(), null);
  }

  static Outcome failed(Entry entry, Throwable failure) {
    return new Outcome(entry, null, null, List.of(), failure);
  }
}
