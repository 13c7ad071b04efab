package dev.postoffice.core.memory;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import java.time.Instant;
import java.util.Map;

/** Stored entries for the in-memory store's table and holder tests. */
final class StoredEntries {
  static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  static final RouteId ROUTE = RouteId.of("acme-orders");
  private static final Lane LANE = new Lane(ROUTE, Layer.L1);

  private StoredEntries() {}

  /** A Just In layer-1 entry of {@link #ROUTE}, created at {@link #T0}, not in any table yet. */
  static StoredEntry stored(EntryId id, TraceId traceId, long seq) {
    Entry e =
        Entry.builder()
            .id(id)
            .route(ROUTE)
            .direction(Direction.UPSTREAM)
            .layer(Layer.L1)
            .status(Status.JUST_IN)
            .payload(Payload.json("{}"))
            .headers(Map.of())
            .traceId(traceId)
            .producedBy("test")
            .createdAt(T0)
            .updatedAt(T0)
            .build();
    return new StoredEntry(seq, e, null, LANE);
  }
}
