package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "intake". How
 * intake stores new entries: what it keeps, dedup keys, ids stored before, all or nothing.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class IntakeContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected IntakeContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName(
      "stores a new entry as JUST_IN with no attempts, no lease and everything it was given")
  void storesJustIn() {
    NewEntry n = root();
    List<IntakeResult> results = intake(n);

    assertThat(results).containsExactly(IntakeResult.stored(n.id()));
    Entry e = get(n.id());
    assertThat(e.status()).isEqualTo(Status.JUST_IN);
    assertThat(e.attempts()).isZero();
    assertThat(e.lease()).isNull();
    assertThat(e.generation()).isZero();
    assertThat(e.route()).isEqualTo(route);
    assertThat(e.direction()).isEqualTo(Direction.UPSTREAM);
    assertThat(e.layer()).isEqualTo(Layer.L1);
    assertThat(e.payload()).isEqualTo(n.payload());
    assertThat(e.headers()).isEqualTo(n.headers());
    assertThat(e.traceId()).isEqualTo(n.traceId());
    assertThat(e.sourceId()).isNull();
    assertThat(e.producedBy()).isEqualTo("ingestor@1");
    assertThat(e.createdAt()).isEqualTo(T0);
    assertThat(e.updatedAt()).isEqualTo(T0);
  }

  @Test
  @DisplayName("appends a history row from no status to JUST_IN")
  void historyFromNull() {
    Entry e = intakeOne();
    assertThat(history(e.id()))
        .containsExactly(new HistoryRecord(e.id(), null, Status.JUST_IN, T0, null));
  }

  @Test
  @DisplayName(
      "stores an entry whose dedup key the route has seen as DUPLICATE, naming the original")
  void duplicate() {
    NewEntry first = withDedup(root(), "order-1");
    NewEntry second = withDedup(root(), "order-1");
    intake(first);
    tick();
    List<IntakeResult> results = intake(second);

    assertThat(results).containsExactly(IntakeResult.duplicate(second.id(), first.id()));
    assertThat(results.get(0).isDuplicate()).isTrue();
    assertThat(get(second.id()).status()).isEqualTo(Status.DUPLICATE);
    assertThat(get(first.id()).status()).isEqualTo(Status.JUST_IN);
    List<HistoryRecord> h = history(second.id());
    assertThat(h).hasSize(1);
    assertThat(h.get(0).from()).isNull();
    assertThat(h.get(0).to()).isEqualTo(Status.DUPLICATE);
    assertThat(h.get(0).detail()).contains(first.id().value());
  }

  @Test
  @DisplayName("treats the same dedup key twice in one call as new, then duplicate")
  void duplicateInOneCall() {
    NewEntry first = withDedup(root(), "k");
    NewEntry second = withDedup(root(), "k");
    List<IntakeResult> results = intake(first, second);

    assertThat(results)
        .containsExactly(
            IntakeResult.stored(first.id()), IntakeResult.duplicate(second.id(), first.id()));
    assertThat(get(second.id()).status()).isEqualTo(Status.DUPLICATE);
  }

  @Test
  @DisplayName("scopes dedup keys to their route")
  void dedupPerRoute() {
    intake(withDedup(root(route, Layer.L1), "same"));
    NewEntry other = withDedup(root(otherRoute, Layer.L1), "same");
    assertThat(intake(other)).containsExactly(IntakeResult.stored(other.id()));
    assertThat(get(other.id()).status()).isEqualTo(Status.JUST_IN);
  }

  @Test
  @DisplayName("never treats entries without a dedup key as duplicates")
  void nullKeysNeverCollide() {
    List<IntakeResult> results = intake(root(), root(), root());
    assertThat(results).noneMatch(IntakeResult::isDuplicate);
  }

  @Test
  @DisplayName("does not claim a DUPLICATE entry")
  void duplicateNotClaimable() {
    intake(withDedup(root(), "k"));
    claim(10);
    intake(withDedup(root(), "k"));
    clock.advance(LEASE.multipliedBy(2));
    assertThat(claim(10)).extracting(Entry::status).containsOnly(Status.JUST_IN);
  }

  @Test
  @DisplayName("returns the existing entry's result for an id stored before, and changes nothing")
  void sameIdIsIdempotent() {
    NewEntry n = root();
    intake(n);
    Entry before = get(n.id());
    tick();
    NewEntry again =
        new NewEntry(
            n.id(),
            route,
            Direction.UPSTREAM,
            Layer.L1,
            Payload.json("{\"other\":1}"),
            Map.of(),
            null,
            TraceId.random(),
            null,
            null,
            null);

    assertThat(intake(again)).containsExactly(IntakeResult.stored(n.id()));
    assertThat(get(n.id())).isEqualTo(before);
    assertThat(history(n.id())).hasSize(1);
  }

  @Test
  @DisplayName("returns the original for a duplicate's id stored again")
  void sameIdOfDuplicate() {
    NewEntry first = withDedup(root(), "k");
    NewEntry second = withDedup(root(), "k");
    intake(first, second);
    assertThat(intake(second)).containsExactly(IntakeResult.duplicate(second.id(), first.id()));
    assertThat(history(second.id())).hasSize(1);
  }

  @Test
  @DisplayName("stores an id given twice in one call once")
  void sameIdTwiceInOneCall() {
    NewEntry n = root();
    List<IntakeResult> results = intake(n, n);
    assertThat(results).containsExactly(IntakeResult.stored(n.id()), IntakeResult.stored(n.id()));
    assertThat(history(n.id())).hasSize(1);
    assertThat(claim(10)).extracting(Entry::id).containsExactly(n.id());
  }

  @Test
  @DisplayName("returns one result per entry, in order")
  void resultsInOrder() {
    List<NewEntry> entries = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      entries.add(root());
    }
    List<IntakeResult> results = store.intake(entries, now());
    assertThat(results)
        .extracting(IntakeResult::entryId)
        .containsExactlyElementsOf(entries.stream().map(NewEntry::id).toList());
  }

  @Test
  @DisplayName("stores all entries of a call or none")
  void allOrNothing() {
    NewEntry good = root();
    List<NewEntry> entries = Arrays.asList(good, null);
    assertThat(catchThrowable(() -> store.intake(entries, now()))).isNotNull();
    assertThat(store.find(good.id())).isEmpty();
    assertThat(store.backlog(route)).isZero();
  }
}
