package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.Status;
import dev.postoffice.spi.NewEntry;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "replay".
 * Replaying an entry: a new generation, its old outputs superseded.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class ReplayContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected ReplayContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName(
      "makes the entry JUST_IN again with its generation incremented and its attempts cleared")
  void replays() {
    Entry e = entryIn(Status.FAILED);
    tick();
    Entry replayed = store.replay(e.id(), "mapping fixed", now());

    assertThat(replayed.status()).isEqualTo(Status.JUST_IN);
    assertThat(replayed.generation()).isEqualTo(e.generation() + 1);
    assertThat(replayed.attempts()).isZero();
    assertThat(replayed.lease()).isNull();
    assertThat(replayed.lastError()).isNull();
    assertThat(replayed.nextAttemptAt()).isNull();
    assertThat(replayed.updatedAt()).isEqualTo(now());
    assertThat(get(e.id())).isEqualTo(replayed);
    assertThat(history(e.id()))
        .last()
        .isEqualTo(
            new HistoryRecord(e.id(), Status.FAILED, Status.JUST_IN, now(), "mapping fixed"));
    assertThat(claim(e.route(), Layer.L1, 10, OWNER)).extracting(Entry::id).containsExactly(e.id());
  }

  @Test
  @DisplayName(
      "supersedes the entry's outputs, except DUPLICATE and SUPERSEDED ones, with history rows")
  void supersedesOutputs() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    NewEntry waiting = output(claimed, 0);
    NewEntry processed = output(claimed, 1);
    commit(done(claimed, Status.PROCESSED, waiting, processed));
    Entry p =
        claim(route, Layer.L2, 10, OWNER).stream()
            .filter(x -> x.id().equals(processed.id()))
            .findFirst()
            .orElseThrow();
    commit(done(p, Status.PROCESSED));
    // A duplicate output: an intake entry linked to the source whose dedup key was seen.
    intake(withDedup(root(otherRoute, Layer.L1), "k"));
    NewEntry dup =
        new NewEntry(
            EntryId.random(),
            otherRoute,
            Direction.UPSTREAM,
            Layer.L2,
            Payload.json("{}"),
            Map.of(),
            claimed.id(),
            claimed.traceId(),
            "k",
            null,
            null);
    intake(dup);
    tick();

    store.replay(claimed.id(), "re-translate", now());

    assertThat(get(waiting.id()).status()).isEqualTo(Status.SUPERSEDED);
    assertThat(get(waiting.id()).lease()).isNull();
    assertThat(get(processed.id()).status()).isEqualTo(Status.SUPERSEDED);
    assertThat(get(dup.id()).status()).isEqualTo(Status.DUPLICATE);
    assertThat(history(processed.id()))
        .last()
        .isEqualTo(
            new HistoryRecord(
                processed.id(), Status.PROCESSED, Status.SUPERSEDED, now(), "re-translate"));
    assertThat(history(dup.id())).hasSize(1);

    // A second replay leaves superseded outputs as they are.
    Entry again = claim(1).get(0);
    commit(done(again, Status.PROCESSED, output(again, 0)));
    tick();
    store.replay(claimed.id(), "once more", now());
    assertThat(history(processed.id())).hasSize(3);
    assertThat(get(output(again, 0).id()).status()).isEqualTo(Status.SUPERSEDED);
    assertThat(store.findBySource(claimed.id())).hasSize(4);
  }

  @Test
  @DisplayName("gives the outputs of the new run new ids, so the old outputs stay")
  void newIds() {
    intakeOne();
    Entry first = claim(1).get(0);
    commit(done(first, Status.PROCESSED, output(first, 0)));
    Entry replayed = store.replay(first.id(), null, now());
    Entry second = claim(1).get(0);
    assertThat(second.generation()).isEqualTo(replayed.generation());
    assertThat(output(second, 0).id()).isNotEqualTo(output(first, 0).id());
    commit(done(second, Status.PROCESSED, output(second, 0)));
    assertThat(store.find(output(second, 0).id())).isPresent();
    assertThat(store.find(output(first, 0).id())).isPresent();
  }

  @Test
  @DisplayName("replays a QUEUED entry")
  void queued() {
    Entry e = entryIn(Status.QUEUED);
    assertThat(store.replay(e.id(), null, now()).status()).isEqualTo(Status.JUST_IN);
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(
      value = Status.class,
      names = {"JUST_IN", "RETRYING", "DUPLICATE", "SUPERSEDED"})
  @DisplayName("throws IllegalStatusTransitionException from a status that cannot move to JUST_IN")
  void illegal(Status status) {
    Entry e = entryIn(status);
    tick();
    assertThatThrownBy(() -> store.replay(e.id(), null, now()))
        .isInstanceOf(IllegalStatusTransitionException.class);
    assertThat(get(e.id())).isEqualTo(e);
  }

  @Test
  @DisplayName("throws NoSuchEntryException for an unknown entry")
  void unknown() {
    assertThatThrownBy(() -> store.replay(EntryId.random(), null, now()))
        .isInstanceOf(NoSuchEntryException.class);
  }
}
