package dev.postoffice.core.internal.route;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;

/**
 * What every entry the engine stores shares: who produced an intake entry, and the fast path's
 * view.
 */
public final class Entries {
  /**
   * The {@code producedBy} of entries stored by intake (upstream, downstream and their refusals).
   */
  public static final String PRODUCED_BY_INTAKE = "intake";

  private Entries() {}

  /** Builds the in-memory view of an entry this node just stored pre-claimed, for the fast path. */
  public static Entry preClaimed(NewEntry created, Instant now) {
    return new Entry(
        created.id(),
        created.route(),
        created.direction(),
        created.layer(),
        Status.JUST_IN,
        created.payload(),
        created.headers(),
        created.sourceId(),
        created.traceId(),
        created.dedupKey(),
        1,
        null,
        null,
        0,
        created.producedBy(),
        created.lease(),
        now,
        now);
  }
}
