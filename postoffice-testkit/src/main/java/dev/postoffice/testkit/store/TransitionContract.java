package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.NoSuchEntryException;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "transition". How
 * one entry moves from one of a set of statuses to another, outside a lease.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class TransitionContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected TransitionContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("moves an entry in one of the from statuses and appends a history row")
  void moves() {
    Entry e = entryIn(Status.QUEUED);
    tick();
    Optional<Entry> moved =
        store.transition(
            e.id(), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, "ack from core", now());

    assertThat(moved).isPresent();
    assertThat(moved.get().status()).isEqualTo(Status.ACKNOWLEDGED);
    assertThat(moved.get().updatedAt()).isEqualTo(now());
    assertThat(get(e.id())).isEqualTo(moved.get());
    assertThat(history(e.id()))
        .last()
        .isEqualTo(
            new HistoryRecord(e.id(), Status.QUEUED, Status.ACKNOWLEDGED, now(), "ack from core"));
  }

  @Test
  @DisplayName("returns empty and changes nothing when the entry is in none of the from statuses")
  void notInFrom() {
    Entry e = entryIn(Status.ACKNOWLEDGED);
    tick();
    assertThat(store.transition(e.id(), Set.of(Status.QUEUED), Status.ACKNOWLEDGED, null, now()))
        .isEmpty();
    assertThat(get(e.id())).isEqualTo(e);
    assertThat(history(e.id())).hasSize(2);
  }

  @Test
  @DisplayName("throws NoSuchEntryException for an unknown entry")
  void unknown() {
    EntryId id = EntryId.random();
    assertThatThrownBy(
            () -> store.transition(id, Set.of(Status.QUEUED), Status.ACKNOWLEDGED, null, now()))
        .isInstanceOfSatisfying(
            NoSuchEntryException.class, e -> assertThat(e.entryId()).isEqualTo(id));
  }

  @Test
  @DisplayName("throws IllegalStatusTransitionException when the entry's status cannot move there")
  void illegal() {
    Entry e = entryIn(Status.DUPLICATE);
    assertThatThrownBy(
            () -> store.transition(e.id(), Set.of(Status.DUPLICATE), Status.JUST_IN, null, now()))
        .isInstanceOf(IllegalStatusTransitionException.class);
    assertThat(get(e.id())).isEqualTo(e);
    assertThat(history(e.id())).hasSize(1);
  }

  @Test
  @DisplayName("clears the lease and the next attempt time")
  void clearsLeaseAndNextAttempt() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    Entry failed =
        store
            .transition(claimed.id(), Set.of(Status.JUST_IN), Status.FAILED, "operator", now())
            .orElseThrow();
    assertThat(failed.lease()).isNull();

    Entry retrying = entryIn(Status.RETRYING);
    Entry moved =
        store
            .transition(retrying.id(), Set.of(Status.RETRYING), Status.FAILED, "gave up", now())
            .orElseThrow();
    assertThat(moved.nextAttemptAt()).isNull();
    assertThat(moved.lastError())
        .as("a move to FAILED records its detail as the last error")
        .isEqualTo("gave up");
  }

  @Test
  @DisplayName("makes a QUEUED entry claimable again when it moves back to JUST_IN (republish)")
  void republish() {
    Entry e = entryIn(Status.QUEUED);
    store.transition(e.id(), Set.of(Status.QUEUED), Status.JUST_IN, "ack timeout", now());
    List<Entry> again = claim(e.route(), Layer.L1, 10, OTHER);
    assertThat(again).extracting(Entry::id).containsExactly(e.id());
    assertThat(again.get(0).attempts()).isEqualTo(2);
  }
}
