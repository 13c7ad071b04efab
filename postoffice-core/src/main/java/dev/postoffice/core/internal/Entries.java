package dev.postoffice.core.internal;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Status;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;

/** Builds the in-memory view of an entry this node just stored pre-claimed, for the fast path. */
final class Entries {
  private Entries() {}

  static Entry preClaimed(NewEntry created, Instant now) {
    return Entry.builder()
        .id(created.id())
        .route(created.route())
        .direction(created.direction())
        .layer(created.layer())
        .status(Status.JUST_IN)
        .payload(created.payload())
        .headers(created.headers())
        .sourceId(created.sourceId())
        .traceId(created.traceId())
        .dedupKey(created.dedupKey())
        .attempts(1)
        .producedBy(created.producedBy())
        .lease(created.lease())
        .createdAt(now)
        .updatedAt(now)
        .build();
  }
}
