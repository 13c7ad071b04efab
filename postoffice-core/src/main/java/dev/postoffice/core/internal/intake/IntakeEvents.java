package dev.postoffice.core.internal.intake;

import dev.postoffice.core.internal.route.PipelineEvents;
import dev.postoffice.model.Status;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;
import java.util.List;

/** The status changes of an intake call, as both directions' intakes report them. */
final class IntakeEvents {
  private IntakeEvents() {}

  /**
   * Reports each entry the store created, {@code JUST_IN} or {@code DUPLICATE} (an oversized
   * message's stand-in is created {@code JUST_IN}; its rejection follows). A result for another id
   * than the entry's changed nothing and is skipped. An entry the store had already (the same
   * intake retried after a store failure) is reported again: the result does not tell.
   */
  static void created(
      PipelineEvents events, List<NewEntry> entries, List<IntakeResult> results, Instant at) {
    for (int i = 0; i < results.size(); i++) {
      IntakeResult result = results.get(i);
      NewEntry entry = entries.get(i);
      if (!result.entryId().equals(entry.id())) {
        continue;
      }
      if (result.isDuplicate()) {
        events.created(entry, Status.DUPLICATE, "duplicate of " + result.duplicateOf(), at);
      } else {
        events.created(entry, Status.JUST_IN, null, at);
      }
    }
  }
}
