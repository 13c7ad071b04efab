package dev.postoffice.benchmarks.jmh;

import dev.postoffice.benchmarks.Workload;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a store does for one batch of upstream messages: intake, then claim and commit through all
 * four layers (L1 to L3 {@code PROCESSED} with one output each, L4 {@code QUEUED}), all in batches
 * of the same size.
 */
final class StoreCycle {
  private static final Duration LEASE = Duration.ofSeconds(60);
  private static final Payload PAYLOAD = Payload.of(Workload.json(0), Payload.JSON);

  private StoreCycle() {}

  /** Runs one cycle of {@code batch} messages; returns how many reached layer 4 {@code QUEUED}. */
  static int run(StatusStore store, RouteId route, int batch, Instant now) {
    List<NewEntry> page = new ArrayList<>(batch);
    for (int j = 0; j < batch; j++) {
      page.add(
          new NewEntry(
              EntryId.random(),
              route,
              Direction.UPSTREAM,
              Layer.L1,
              PAYLOAD,
              Map.of(),
              null,
              TraceId.random(),
              null,
              "bench@1",
              null));
    }
    store.intake(page, now);
    int queued = 0;
    for (Layer layer : Layer.values()) {
      List<Entry> claimed = store.claim(new ClaimRequest(route, layer, batch, "bench", LEASE, now));
      List<Completion> done = new ArrayList<>(claimed.size());
      for (Entry e : claimed) {
        List<NewEntry> out =
            layer == Layer.L4
                ? List.of()
                : List.of(
                    new NewEntry(
                        EntryId.derive(e.id(), e.generation(), 0),
                        route,
                        Direction.UPSTREAM,
                        layer.next(Direction.UPSTREAM),
                        e.payload(),
                        e.headers(),
                        e.id(),
                        e.traceId(),
                        null,
                        "bench@1",
                        null));
        done.add(
            new Completion(
                e.id(),
                "bench",
                e.attempts(),
                layer == Layer.L4 ? Status.QUEUED : Status.PROCESSED,
                null,
                null,
                null,
                out));
      }
      queued = store.commit(done, now).applied().size();
    }
    return queued;
  }
}
