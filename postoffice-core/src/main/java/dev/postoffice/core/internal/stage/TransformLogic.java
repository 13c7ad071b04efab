package dev.postoffice.core.internal.stage;

import dev.postoffice.RejectedInputException;
import dev.postoffice.core.internal.Mdc;
import dev.postoffice.core.internal.route.Transform;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a host transform (normalizer, translator) on each entry of a batch, one at a time, under its
 * MDC.
 */
public final class TransformLogic implements StageLogic {
  private final Transform transform;

  public TransformLogic(Transform transform) {
    this.transform = transform;
  }

  @Override
  public List<Outcome> work(List<Entry> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (Entry entry : batch) {
      String refused = OversizeRecorder.standInReason(entry);
      if (refused != null) {
        // The stand-in of an oversized message whose rejection was not stored: there is nothing to
        // work on.
        outcomes.add(Outcome.failed(entry, new RejectedInputException(refused)));
        continue;
      }
      String filtered = IntakeFilter.filteredReason(entry);
      if (filtered != null) {
        // An event the intake filtered but whose Filtered status was not stored.
        outcomes.add(Outcome.finished(entry, Status.FILTERED, filtered));
        continue;
      }
      try (Mdc ignored = Mdc.of(entry)) {
        outcomes.add(Outcome.produced(entry, transform.apply(entry)));
      } catch (RuntimeException | LinkageError | AssertionError | StackOverflowError e) {
        // A stack overflow from a pathological input is that input's failure, not the node's.
        outcomes.add(Outcome.failed(entry, e));
      }
    }
    return outcomes;
  }
}
