package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "outputs stored
 * finished". Outputs stored already finished, as the engine's fast path does.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class FinishedOutputsContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected FinishedOutputsContract(StoreFixture fixture) {
    super(fixture);
  }

  /**
   * Output {@code index} of {@code source}, leased to {@code owner} as the engine's fast path does.
   */
  private NewEntry leasedOutput(Entry source, int index, String owner) {
    return output(source, index).withLease(new Lease(owner, now().plus(LEASE)));
  }

  @Test
  @DisplayName(
      "an output worked on before the commit is stored in its status with both history rows, its own"
          + " outputs after it")
  void storedFinished() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    NewEntry l2 = output(claimed, 0).finished(Status.PROCESSED, "1 output(s)");
    Entry l2Entry =
        new Entry(
            l2.id(),
            l2.route(),
            l2.direction(),
            l2.layer(),
            Status.JUST_IN,
            l2.payload(),
            l2.headers(),
            l2.sourceId(),
            l2.traceId(),
            null,
            0,
            null,
            null,
            0,
            l2.producedBy(),
            null,
            now(),
            now());
    NewEntry l3 = leasedOutput(l2Entry, 0, OWNER);
    tick();

    assertThat(commit(done(claimed, Status.PROCESSED, l2, l3)).applied())
        .containsExactly(claimed.id());

    Entry stored = get(l2.id());
    assertThat(stored.status()).isEqualTo(Status.PROCESSED);
    assertThat(stored.lease()).isNull();
    assertThat(stored.attempts()).isEqualTo(1);
    assertThat(stored.payload()).isEqualTo(l2.payload());
    assertThat(history(l2.id()))
        .containsExactly(
            new HistoryRecord(l2.id(), null, Status.JUST_IN, now(), null),
            new HistoryRecord(l2.id(), Status.JUST_IN, Status.PROCESSED, now(), "1 output(s)"));
    Entry next = get(l3.id());
    assertThat(next.status()).isEqualTo(Status.JUST_IN);
    assertThat(next.lease()).isEqualTo(l3.lease());
    assertThat(next.sourceId()).isEqualTo(l2.id());
    assertThat(store.findBySource(l2.id())).extracting(Entry::id).containsExactly(l3.id());
    assertThat(store.findByTrace(claimed.traceId()))
        .extracting(Entry::id)
        .containsExactlyInAnyOrder(claimed.id(), l2.id(), l3.id());
    assertThat(claim(route, Layer.L2, 10, OTHER))
        .as("a finished output is not claimable")
        .isEmpty();
  }

  @Test
  @DisplayName("nothing of a refused completion is stored, finished outputs included")
  void refusedStoresNothing() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    NewEntry l2 = output(claimed, 0).finished(Status.PROCESSED, null);
    Completion stale =
        new Completion(
            claimed.id(),
            OTHER,
            claimed.attempts(),
            Status.PROCESSED,
            null,
            null,
            null,
            List.of(l2));

    assertThat(commit(stale).refused()).containsExactly(claimed.id());
    assertThat(store.find(l2.id())).isEmpty();
  }

  @Test
  @DisplayName("intake refuses an entry marked finished, storing nothing")
  void intakeRefusesFinished() {
    NewEntry ok = root();
    NewEntry finished = root().finished(Status.PROCESSED, null);
    assertThatThrownBy(() -> store.intake(List.of(ok, finished), now()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("finished");
    assertThat(store.find(ok.id())).isEmpty();
  }

  @Test
  @DisplayName("an entry cannot be marked finished as JUST_IN or RETRYING")
  void onlyFinalMoves() {
    assertThatThrownBy(() -> root().finished(Status.RETRYING, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RETRYING");
    assertThatThrownBy(() -> root().finished(Status.JUST_IN, null))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
