package dev.postoffice.core.internal;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;

/** Builds the in-memory view of an entry this node just stored pre-claimed, for the fast path. */
final class Entries {
  private Entries() {}

  static Entry preClaimed(NewEntry created, Instant now) {
    return new Entry(created.id(), created.route(), created.direction(), created.layer(), Status.JUST_IN,
        created.payload(), created.headers(), created.sourceId(), created.traceId(), created.dedupKey(), 1, null,
        null, 0, created.producedBy(), created.lease(), now, now);
  }
}
