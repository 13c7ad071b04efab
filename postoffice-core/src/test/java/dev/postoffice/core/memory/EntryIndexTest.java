package dev.postoffice.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.StatusCount;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The store's indexes stay consistent with each other through inserts, changes and removals. */
class EntryIndexTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final RouteId ROUTE = RouteId.of("acme-orders");
  private static final RouteId OTHER_ROUTE = RouteId.of("globex-invoices");

  private final EntryIndex index = new EntryIndex();

  private static Entry.Builder entry(RouteId route, Layer layer) {
    return Entry.builder()
        .id(EntryId.random())
        .route(route)
        .direction(Direction.UPSTREAM)
        .layer(layer)
        .status(Status.JUST_IN)
        .payload(Payload.json("{}"))
        .headers(Map.of())
        .traceId(TraceId.random())
        .producedBy("test")
        .createdAt(T0)
        .updatedAt(T0);
  }

  private static Entry root() {
    return entry(ROUTE, Layer.L1).build();
  }

  private static Entry outputOf(Entry source, TraceId traceId) {
    return entry(source.route(), Layer.L2).sourceId(source.id()).traceId(traceId).build();
  }

  /** Adds an output of a source, in the source's trace. */
  private StoredEntry addOutput(StoredEntry source) {
    return index.addOutput(outputOf(source.entry, source.entry.traceId()), source);
  }

  private void move(StoredEntry rec, Status to, Instant now) {
    index.changed(rec, rec.entry.toBuilder().status(to).lease(null).updatedAt(now).build(), now);
  }

  @Nested
  @DisplayName("adding")
  class Adding {
    @Test
    @DisplayName("an entry is found by id, counted under its status and due for a claim")
    void indexedEverywhere() {
      Entry e = root();
      StoredEntry rec = index.addTakenIn(e, null);

      assertThat(index.get(e.id())).isSameAs(rec);
      assertThat(index.size()).isEqualTo(1);
      assertThat(index.count(ROUTE, Status.JUST_IN)).isEqualTo(1);
      assertThat(index.counts())
          .containsExactly(new StatusCount(ROUTE, Layer.L1, Status.JUST_IN, 1));
      assertThat(index.takeDue(ROUTE, Layer.L1, 10, T0)).containsExactly(rec);
    }

    @Test
    @DisplayName("an id already stored is not added again and changes nothing")
    void sameIdTwice() {
      Entry e = root();
      StoredEntry first = index.addTakenIn(e, null);

      assertThat(index.addTakenIn(e.toBuilder().status(Status.DUPLICATE).build(), null)).isNull();
      assertThat(index.addOutput(e, null)).isNull();
      assertThat(index.get(e.id())).isSameAs(first);
      assertThat(index.counts())
          .containsExactly(new StatusCount(ROUTE, Layer.L1, Status.JUST_IN, 1));
    }

    @Test
    @DisplayName(
        "entries added later get a later sequence, which orders a claim of equal creation times")
    void insertionOrder() {
      StoredEntry a = index.addTakenIn(root(), null);
      StoredEntry b = index.addTakenIn(root(), null);

      assertThat(b.seq).isGreaterThan(a.seq);
      assertThat(index.takeDue(ROUTE, Layer.L1, 10, T0)).containsExactly(a, b);
    }
  }

  @Nested
  @DisplayName("dedup keys")
  class DedupKeys {
    @Test
    @DisplayName("an entry taken in registers its key for its route only")
    void perRoute() {
      Entry e = entry(ROUTE, Layer.L1).dedupKey("order-1").build();
      index.addTakenIn(e, null);

      assertThat(index.original(ROUTE, "order-1")).isEqualTo(e.id());
      assertThat(index.original(OTHER_ROUTE, "order-1")).isNull();
      assertThat(index.original(ROUTE, "order-2")).isNull();
      assertThat(index.original(ROUTE, null)).isNull();
    }

    @Test
    @DisplayName(
        "a duplicate leaves the key with the original, and remembers which one it duplicates")
    void duplicateKeepsOriginal() {
      Entry original = entry(ROUTE, Layer.L1).dedupKey("order-1").build();
      index.addTakenIn(original, null);
      Entry duplicate = entry(ROUTE, Layer.L1).dedupKey("order-1").status(Status.DUPLICATE).build();
      StoredEntry rec = index.addTakenIn(duplicate, original.id());

      assertThat(rec.duplicateOf).isEqualTo(original.id());
      assertThat(index.original(ROUTE, "order-1")).isEqualTo(original.id());
    }

    @Test
    @DisplayName("a completion's output does not register its key: only intake deduplicates")
    void outputsDoNotRegister() {
      StoredEntry source = index.addTakenIn(root(), null);
      index.addOutput(
          entry(ROUTE, Layer.L2).sourceId(source.entry.id()).dedupKey("order-1").build(), source);

      assertThat(index.original(ROUTE, "order-1")).isNull();
    }

    @Test
    @DisplayName("removing the original forgets its key, removing a duplicate does not")
    void removal() {
      Entry original = entry(ROUTE, Layer.L1).dedupKey("order-1").status(Status.PROCESSED).build();
      index.addTakenIn(original, null);
      StoredEntry duplicate =
          index.addTakenIn(
              entry(ROUTE, Layer.L1).dedupKey("order-1").status(Status.DUPLICATE).build(),
              original.id());

      index.removeAll(List.of(duplicate));
      assertThat(index.original(ROUTE, "order-1")).isEqualTo(original.id());
      index.removeAll(List.of(index.get(original.id())));
      assertThat(index.original(ROUTE, "order-1")).isNull();
    }
  }

  @Nested
  @DisplayName("lineage")
  class Lineage {
    @Test
    @DisplayName("an output is listed under its source, and its source is found from its sourceId")
    void bothWays() {
      StoredEntry source = index.addTakenIn(root(), null);
      StoredEntry output = addOutput(source);

      assertThat(index.outputs(source)).containsExactly(output);
      assertThat(index.get(output.entry.sourceId())).isSameAs(source);
      assertThat(index.outputs(output)).isEmpty();
    }

    @Test
    @DisplayName("an output whose source is not given is linked to it by lookup")
    void sourceLookedUp() {
      StoredEntry source = index.addTakenIn(root(), null);
      StoredEntry unrelated = index.addTakenIn(root(), null);
      StoredEntry output =
          index.addOutput(outputOf(source.entry, source.entry.traceId()), unrelated);

      assertThat(index.outputs(source)).containsExactly(output);
      assertThat(index.outputs(unrelated)).isEmpty();
    }

    @Test
    @DisplayName(
        "a trace holds the entries derived within it, and an output in another trace starts its own")
    void traces() {
      StoredEntry source = index.addTakenIn(root(), null);
      TraceId trace = source.entry.traceId();
      StoredEntry sameTrace = addOutput(source);
      StoredEntry grandchild = addOutput(sameTrace);
      TraceId otherTrace = TraceId.random();
      StoredEntry forked = index.addOutput(outputOf(source.entry, otherTrace), source);

      assertThat(index.trace(trace)).containsExactlyInAnyOrder(source, sameTrace, grandchild);
      assertThat(index.trace(otherTrace)).containsExactly(forked);
      assertThat(index.outputs(source)).containsExactly(sameTrace, forked);
      assertThat(sameTrace.traceRoot).as("found through its source").isFalse();
      assertThat(forked.traceRoot).isTrue();
    }

    @Test
    @DisplayName(
        "removing a source alone leaves its outputs findable by trace, and unlinks a removed output")
    void removal() {
      StoredEntry source = index.addTakenIn(root(), null);
      StoredEntry kept = addOutput(source);
      StoredEntry grandchild = addOutput(kept);

      index.removeAll(List.of(grandchild));
      assertThat(index.outputs(kept)).isEmpty();

      index.removeAll(List.of(source));
      assertThat(index.get(source.entry.id())).isNull();
      assertThat(index.trace(source.entry.traceId())).containsExactly(kept);
      assertThat(kept.traceRoot).isTrue();
    }

    @Test
    @DisplayName(
        "removing some of a source's outputs keeps the others in order, and a later one goes last")
    void removingSomeOutputs() {
      StoredEntry source = index.addTakenIn(root(), null);
      StoredEntry first = addOutput(source);
      StoredEntry middle = addOutput(source);
      StoredEntry last = addOutput(source);

      index.removeAll(List.of(middle));
      assertThat(index.outputs(source)).containsExactly(first, last);
      index.removeAll(List.of(last));
      assertThat(index.outputs(source)).containsExactly(first);
      StoredEntry later = addOutput(source);
      assertThat(index.outputs(source)).containsExactly(first, later);
      index.removeAll(List.of(first));
      assertThat(index.outputs(source)).containsExactly(later);
      assertThat(index.trace(source.entry.traceId())).containsExactlyInAnyOrder(source, later);
    }

    @Test
    @DisplayName(
        "a trace with several roots lists each until it is removed; the outputs of a removed source"
            + " that stay are not linked to each other")
    void severalRoots() {
      StoredEntry source = index.addTakenIn(root(), null);
      TraceId trace = source.entry.traceId();
      StoredEntry a = addOutput(source);
      StoredEntry b = addOutput(source);
      StoredEntry otherRoot = index.addTakenIn(entry(ROUTE, Layer.L1).traceId(trace).build(), null);

      index.removeAll(List.of(source));
      assertThat(index.trace(trace)).containsExactlyInAnyOrder(a, b, otherRoot);
      assertThat(a.nextSibling).as("no link left between outputs of a removed source").isNull();

      index.removeAll(List.of(otherRoot, a));
      assertThat(index.trace(trace)).containsExactly(b);
      index.removeAll(List.of(b));
      assertThat(index.trace(trace)).isEmpty();
    }

    @Test
    @DisplayName("removing a whole trace at once leaves nothing of it behind")
    void wholeTrace() {
      StoredEntry source = index.addTakenIn(root(), null);
      StoredEntry output = addOutput(source);

      index.removeAll(List.of(output, source));
      assertThat(index.trace(source.entry.traceId())).isEmpty();
      assertThat(index.size()).isZero();
      assertThat(index.counts()).isEmpty();
    }
  }

  @Nested
  @DisplayName("changes")
  class Changes {
    @Test
    @DisplayName("a claimed entry leaves the ready queue and comes back due when its lease expires")
    void claimAndExpiry() {
      StoredEntry rec = index.addTakenIn(root(), null);
      List<StoredEntry> due = index.takeDue(ROUTE, Layer.L1, 10, T0);
      Lease lease = new Lease("node", T0.plusSeconds(30));
      index.changed(rec, EntrySnapshots.claimed(rec.entry, lease, T0), T0);

      assertThat(due).containsExactly(rec);
      assertThat(index.takeDue(ROUTE, Layer.L1, 10, T0.plusSeconds(29))).isEmpty();
      assertThat(index.leasedBy("node")).containsExactly(rec);
      assertThat(index.leasedBy("other-node")).isEmpty();
      assertThat(index.takeDue(ROUTE, Layer.L1, 10, T0.plusSeconds(30))).containsExactly(rec);
    }

    @Test
    @DisplayName("a move to a final status recounts it and takes it out of the claim queues")
    void finished() {
      StoredEntry rec = index.addTakenIn(root(), null);
      move(rec, Status.PROCESSED, T0.plusSeconds(1));

      assertThat(index.count(ROUTE, Status.JUST_IN)).isZero();
      assertThat(index.count(ROUTE, Status.PROCESSED)).isEqualTo(1);
      assertThat(index.takeDue(ROUTE, Layer.L1, 10, T0.plusSeconds(2))).isEmpty();
      assertThat(index.finishedBefore(T0.plusSeconds(2), 10)).containsExactly(rec);
      assertThat(index.finishedBefore(T0.plusSeconds(1), 10))
          .as("updated before the cutoff only")
          .isEmpty();
    }

    @Test
    @DisplayName("a retry waits in its queue until its next attempt time")
    void retry() {
      StoredEntry rec = index.addTakenIn(root(), null);
      index.changed(
          rec,
          EntrySnapshots.moved(rec.entry, Status.RETRYING, T0.plusSeconds(10), "boom", T0),
          T0);

      assertThat(index.count(ROUTE, Status.RETRYING)).isEqualTo(1);
      assertThat(index.takeDue(ROUTE, Layer.L1, 10, T0.plusSeconds(9))).isEmpty();
      assertThat(index.takeDue(ROUTE, Layer.L1, 10, T0.plusSeconds(10))).containsExactly(rec);
    }

    @Test
    @DisplayName("an extended lease moves the entry in the claim queues but not in its status list")
    void leaseExtended() {
      StoredEntry first = index.addTakenIn(root(), null);
      StoredEntry second = index.addTakenIn(root(), null);
      Lease lease = new Lease("node", T0.plusSeconds(30));
      index.changed(first, EntrySnapshots.claimed(first.entry, lease, T0), T0);
      index.changed(second, EntrySnapshots.claimed(second.entry, lease, T0), T0);
      Entry extended = first.entry.toBuilder().lease(new Lease("node", T0.plusSeconds(60))).build();
      index.leaseExtended(first, extended, T0.plusSeconds(20));

      assertThat(first.entry).isSameAs(extended);
      assertThat(index.takeDue(ROUTE, Layer.L1, 10, T0.plusSeconds(30))).containsExactly(second);
      List<StoredEntry> listed = new ArrayList<>();
      first.lane.collect(Status.JUST_IN, null, 10, true, listed);
      assertThat(listed).as("still in the order of their changes").containsExactly(first, second);
    }

    @Test
    @DisplayName("a query by status reads the matching lanes' lists only")
    void candidates() {
      StoredEntry done = index.addTakenIn(root(), null);
      move(done, Status.FAILED, T0.plusSeconds(1));
      index.addTakenIn(root(), null);
      StoredEntry elsewhere = index.addTakenIn(entry(OTHER_ROUTE, Layer.L1).build(), null);
      move(elsewhere, Status.FAILED, T0.plusSeconds(1));

      assertThat(index.candidates(EntryQuery.of(ROUTE, 10, Status.FAILED))).containsExactly(done);
      assertThat(index.candidates(new EntryQuery(null, null, null, null, 10, false))).hasSize(3);
    }
  }
}
