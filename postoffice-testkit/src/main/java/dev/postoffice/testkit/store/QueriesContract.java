package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.NewEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "queries".
 * Finding entries by id, trace, source and filters, and reading their history.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class QueriesContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected QueriesContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("find returns the entry with its payload, or empty")
  void find() {
    Entry e = intakeOne();
    assertThat(store.find(e.id()).orElseThrow().payload()).isNotNull();
    assertThat(store.find(EntryId.random())).isEmpty();
  }

  @Test
  @DisplayName("history lists every status change oldest first, and is empty for an unknown entry")
  void historyOrder() {
    Entry e = intakeOne();
    tick();
    commit(retry(claim(1).get(0), now().plusSeconds(1), "x"));
    tick();
    commit(done(claim(1).get(0), Status.QUEUED));
    tick();
    store.transition(e.id(), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, "ack", now());

    assertThat(history(e.id()))
        .extracting(HistoryRecord::from, HistoryRecord::to, HistoryRecord::at)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(null, Status.JUST_IN, T0),
            org.assertj.core.groups.Tuple.tuple(Status.JUST_IN, Status.RETRYING, T0.plusSeconds(1)),
            org.assertj.core.groups.Tuple.tuple(Status.RETRYING, Status.QUEUED, T0.plusSeconds(2)),
            org.assertj.core.groups.Tuple.tuple(
                Status.QUEUED, Status.ACKNOWLEDGED, T0.plusSeconds(3)));
    assertThat(history(EntryId.random())).isEmpty();
  }

  /** Builds a root with two outputs, one of which has an output of its own. */
  private List<Entry> lineage() {
    Entry rootEntry = intakeOne();
    tick();
    Entry claimed = claim(1).get(0);
    commit(done(claimed, Status.PROCESSED, output(claimed, 0), output(claimed, 1)));
    tick();
    Entry child = claim(route, Layer.L2, 1, OWNER).get(0);
    commit(done(child, Status.PROCESSED, output(child, 0)));
    return List.of(
        rootEntry,
        get(output(claimed, 0).id()),
        get(output(claimed, 1).id()),
        get(output(child, 0).id()));
  }

  @Test
  @DisplayName(
      "findByTrace returns every entry of a trace without payloads, by creation time then id")
  void byTrace() {
    List<Entry> all = lineage();
    intakeOne();
    List<Entry> trace = store.findByTrace(all.get(0).traceId());

    List<Entry> expected = new ArrayList<>(all);
    expected.sort(
        java.util.Comparator.comparing(Entry::createdAt).thenComparing(x -> x.id().value()));
    assertThat(trace).extracting(Entry::id).containsExactlyElementsOf(idList(expected));
    assertThat(trace).allSatisfy(e -> assertThat(e.payload()).isNull());
    assertThat(store.findByTrace(TraceId.random())).isEmpty();
  }

  @Test
  @DisplayName("findBySource returns an entry's outputs without payloads, by creation time then id")
  void bySource() {
    List<Entry> all = lineage();
    List<Entry> outputs = store.findBySource(all.get(0).id());
    List<Entry> expected = new ArrayList<>(List.of(all.get(1), all.get(2)));
    expected.sort(java.util.Comparator.comparing(x -> x.id().value()));

    assertThat(outputs).extracting(Entry::id).containsExactlyElementsOf(idList(expected));
    assertThat(outputs)
        .allSatisfy(
            e -> {
              assertThat(e.payload()).isNull();
              assertThat(e.status()).isEqualTo(get(e.id()).status());
            });
    assertThat(store.findBySource(all.get(3).id())).isEmpty();
  }

  @Test
  @DisplayName("lineage leads from the last output back to the raw receipt")
  void lineageBack() {
    List<Entry> all = lineage();
    Entry e = all.get(3);
    List<EntryId> path = new ArrayList<>();
    while (e.sourceId() != null) {
      e = get(e.sourceId());
      path.add(e.id());
    }
    assertThat(path).containsExactly(all.get(1).id(), all.get(0).id());
    assertThat(e.payload()).isNotNull();
  }

  @Test
  @DisplayName(
      "query filters by route, layer, status and updatedBefore, ordered by updatedAt then id")
  void query() {
    Entry a = intakeOne();
    tick();
    Entry b = intakeOne();
    tick();
    Entry c = intakeOne(root(route, Layer.L2));
    tick();
    intakeOne(root(otherRoute, Layer.L1));
    Entry failed = entryIn(Status.FAILED);

    assertThat(store.query(new EntryQuery(route, null, Set.of(), null, 10, false)))
        .extracting(Entry::id)
        .containsExactly(a.id(), b.id(), c.id());
    assertThat(store.query(new EntryQuery(route, Layer.L2, null, null, 10, false)))
        .extracting(Entry::id)
        .containsExactly(c.id());
    assertThat(store.query(new EntryQuery(route, null, Set.of(), T0.plusSeconds(1), 10, false)))
        .extracting(Entry::id)
        .containsExactly(a.id());
    assertThat(store.query(new EntryQuery(route, null, Set.of(), null, 2, false)))
        .extracting(Entry::id)
        .containsExactly(a.id(), b.id());
    assertThat(store.query(EntryQuery.of(failed.route(), 10, Status.FAILED, Status.REJECTED)))
        .extracting(Entry::id)
        .containsExactly(failed.id());
    assertThat(store.query(EntryQuery.of(route, 10, Status.FAILED))).isEmpty();
  }

  @Test
  @DisplayName("query orders by the last update, not by creation")
  void queryByUpdate() {
    Entry a = intakeOne();
    tick();
    Entry b = intakeOne();
    tick();
    store.transition(a.id(), Set.of(Status.JUST_IN), Status.FAILED, null, now());
    assertThat(store.query(new EntryQuery(route, null, null, null, 10, false)))
        .extracting(Entry::id)
        .containsExactly(b.id(), a.id());
  }

  @Test
  @DisplayName("query breaks ties on updatedAt by id")
  void queryTies() {
    List<NewEntry> batch = List.of(root(), root(), root(), root());
    store.intake(batch, now());
    List<String> expected = batch.stream().map(n -> n.id().value()).sorted().toList();
    assertThat(store.query(new EntryQuery(route, null, null, null, 10, false)))
        .extracting(e -> e.id().value())
        .containsExactlyElementsOf(expected);
  }

  @Test
  @DisplayName("query loads payloads only when asked")
  void queryPayloads() {
    Entry e = intakeOne();
    assertThat(store.query(new EntryQuery(route, null, null, null, 10, true)).get(0).payload())
        .isEqualTo(e.payload());
    assertThat(store.query(new EntryQuery(route, null, null, null, 10, false)).get(0).payload())
        .isNull();
  }
}
