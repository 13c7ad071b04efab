package dev.postoffice.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the store contract leaves open: retention, capabilities, claims with a clock that goes back.
 */
class InMemoryStatusStoreTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final RouteId ROUTE = RouteId.of("acme-orders");
  private static final Duration LEASE = Duration.ofSeconds(30);

  private final InMemoryStatusStore store = InMemoryStatusStore.create();

  private static NewEntry entry(String dedupKey) {
    return new NewEntry(
        EntryId.random(),
        ROUTE,
        Direction.UPSTREAM,
        Layer.L1,
        Payload.json("{}"),
        Map.of(),
        null,
        TraceId.random(),
        dedupKey,
        null,
        null);
  }

  /** Takes in {@code count} entries without dedup keys at T0. */
  private void intakeMany(int count) {
    List<NewEntry> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      entries.add(entry(null));
    }
    store.intake(entries, T0);
  }

  private List<Entry> claim(int limit, Instant now) {
    return store.claim(new ClaimRequest(ROUTE, Layer.L1, limit, "node", LEASE, now));
  }

  private void finish(Entry claimed, Status to, Instant now) {
    store.commit(
        List.of(
            new Completion(
                claimed.id(), "node", claimed.attempts(), to, null, null, null, List.of())),
        now);
  }

  @Test
  @DisplayName(
      "a null completion in a commit is refused naming its position, and nothing is changed")
  void nullCompletion() {
    intakeMany(1);
    Entry claimed = claim(1, T0).get(0);
    List<Completion> batch = new ArrayList<>();
    batch.add(
        new Completion(
            claimed.id(),
            "node",
            claimed.attempts(),
            Status.PROCESSED,
            null,
            null,
            null,
            List.of()));
    batch.add(null);
    assertThatThrownBy(() -> store.commit(batch, T0))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("completions[1] cannot be null");
    assertThat(store.find(claimed.id()).orElseThrow().status()).isEqualTo(Status.JUST_IN);
  }

  @Test
  @DisplayName("is honest: neither durable nor shared across nodes, but claimers skip each other")
  void capabilities() {
    assertThat(store.capabilities().durable()).isFalse();
    assertThat(store.capabilities().sharedAcrossNodes()).isFalse();
    assertThat(store.capabilities().skipLocked()).isTrue();
  }

  @Test
  @DisplayName(
      "purgeFinishedBefore drops finished entries updated before the cutoff, with their history")
  void purge() {
    NewEntry done = entry("k1");
    NewEntry waiting = entry(null);
    store.intake(List.of(done, waiting), T0);
    Entry claimed = claim(1, T0).get(0);
    finish(claimed, Status.PROCESSED, T0.plusSeconds(1));
    NewEntry lateDone = entry(null);
    store.intake(List.of(lateDone), T0.plusSeconds(2));
    finish(
        claim(5, T0.plusSeconds(100)).stream()
            .filter(e -> e.id().equals(lateDone.id()))
            .findFirst()
            .orElseThrow(),
        Status.FAILED,
        T0.plusSeconds(100));

    assertThat(store.purgeFinishedBefore(T0.plusSeconds(50))).isEqualTo(1);
    assertThat(store.find(done.id())).isEmpty();
    assertThat(store.history(done.id())).isEmpty();
    assertThat(store.findByTrace(done.traceId())).isEmpty();
    assertThat(store.find(waiting.id())).isPresent();
    assertThat(store.find(lateDone.id())).isPresent();
    assertThat(store.countByStatus()).noneMatch(c -> c.status() == Status.PROCESSED);
    assertThat(store.size()).isEqualTo(2);
    // Its dedup key is forgotten with it, as documented.
    NewEntry again = entry("k1");
    assertThat(store.intake(List.of(again), T0.plusSeconds(200)))
        .containsExactly(IntakeResult.stored(again.id()));
  }

  @Test
  @DisplayName(
      "purgeFinishedBefore drops a purge larger than one chunk completely, in several lock holds")
  void purgeInChunks() {
    int finished = InMemoryStatusStore.PURGE_CHUNK * 2 + 345;
    intakeMany(finished + 10);
    List<Entry> claimed = claim(finished, T0);
    store.commit(
        claimed.stream()
            .map(
                e ->
                    new Completion(
                        e.id(),
                        "node",
                        e.attempts(),
                        Status.PROCESSED,
                        null,
                        null,
                        null,
                        List.of()))
            .toList(),
        T0.plusSeconds(1));

    assertThat(store.purgeFinishedBefore(T0.plusSeconds(2))).isEqualTo(finished);
    assertThat(store.size()).as("the ten still waiting stay").isEqualTo(10);
    assertThat(store.purgeFinishedBefore(T0.plusSeconds(2))).isZero();
    assertThat(claim(100, T0.plusSeconds(3))).hasSize(10);
  }

  @Test
  @DisplayName(
      "purgeFinishedBefore drops everything due when one finished status list is much longer than another")
  void purgeUnevenLists() {
    intakeMany(1_510);
    List<Entry> claimed = claim(1_510, T0);
    for (int i = 0; i < claimed.size(); i++) {
      Entry e = claimed.get(i);
      finish(
          e,
          i < 10 ? Status.FAILED : Status.PROCESSED,
          T0.plusMillis(1 + i)); // each its own change time
    }

    assertThat(store.purgeFinishedBefore(T0.plusSeconds(2))).isEqualTo(1_510);
    assertThat(store.size()).isZero();
  }

  @Test
  @DisplayName("purging a whole trace at once, or its source alone, leaves lineage queries right")
  void purgeKeepsLineage() {
    NewEntry a = entry(null);
    NewEntry b = entry(null);
    store.intake(List.of(a, b), T0);
    List<Entry> roots = claim(2, T0);
    NewEntry aChild = output(a, Status.PROCESSED);
    NewEntry bChild = output(b, null);
    store.commit(
        roots.stream()
            .map(
                e ->
                    new Completion(
                        e.id(),
                        "node",
                        e.attempts(),
                        Status.PROCESSED,
                        null,
                        null,
                        null,
                        List.of(e.id().equals(a.id()) ? aChild : bChild)))
            .toList(),
        T0.plusSeconds(1));

    // a's trace is finished and goes whole; b's source goes, its unfinished output stays.
    assertThat(store.purgeFinishedBefore(T0.plusSeconds(2))).isEqualTo(3);
    assertThat(store.findByTrace(a.traceId())).isEmpty();
    assertThat(store.findByTrace(b.traceId())).extracting(Entry::id).containsExactly(bChild.id());

    Entry claimed =
        store.claim(new ClaimRequest(ROUTE, Layer.L2, 10, "node", LEASE, T0.plusSeconds(3))).get(0);
    finish(claimed, Status.PROCESSED, T0.plusSeconds(3));
    assertThat(store.purgeFinishedBefore(T0.plusSeconds(4))).isEqualTo(1);
    assertThat(store.findByTrace(b.traceId())).isEmpty();
    assertThat(store.size()).isZero();
  }

  private static NewEntry output(NewEntry source, Status finishedAs) {
    NewEntry out =
        new NewEntry(
            EntryId.random(),
            ROUTE,
            Direction.UPSTREAM,
            Layer.L2,
            Payload.json("{}"),
            Map.of(),
            source.id(),
            source.traceId(),
            null,
            "test",
            null);
    return finishedAs == null ? out : out.finished(finishedAs, "done in the same batch");
  }

  @Test
  @DisplayName(
      "a claim with an earlier now than before hands out nothing that is not due at that time")
  void clockGoingBack() {
    store.intake(List.of(entry(null)), T0);
    Entry first = claim(1, T0).get(0);
    assertThat(claim(1, T0.plus(LEASE))).hasSize(1);
    // Expired at T0+LEASE and claimed again there; a claim at an earlier time must not see it as
    // free.
    assertThat(claim(1, T0.plusSeconds(1))).isEmpty();
    assertThat(store.find(first.id()).orElseThrow().attempts()).isEqualTo(2);
  }

  @Test
  @DisplayName("claims stay fast with a large backlog: a batch costs no scan of all entries")
  void largeBacklog() {
    intakeMany(20_000);
    Instant now = T0;
    int claimed = 0;
    long start = System.nanoTime();
    for (int i = 0; i < 200; i++) {
      now = now.plusMillis(1);
      List<Entry> batch = claim(100, now);
      claimed += batch.size();
      List<Completion> done =
          batch.stream()
              .map(
                  e ->
                      new Completion(
                          e.id(),
                          "node",
                          e.attempts(),
                          Status.PROCESSED,
                          null,
                          null,
                          null,
                          List.of()))
              .toList();
      store.commit(done, now);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertThat(claimed).isEqualTo(20_000);
    assertThat(store.backlog(ROUTE)).isZero();
    // Generous bound: a scan per claim would take minutes here; the indexed claim takes well under
    // a second.
    assertThat(millis).isLessThan(20_000);
  }
}
