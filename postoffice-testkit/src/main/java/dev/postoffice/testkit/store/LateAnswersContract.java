package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "the Core App's
 * late answers". Acknowledgements and rejections from the Core App that come after the entry moved
 * on.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class LateAnswersContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected LateAnswersContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName(
      "an acknowledgement is taken from FAILED and REJECTED, with a history row saying it came late")
  void lateAcknowledgement() {
    Entry failed = entryIn(Status.FAILED);
    Entry rejected = entryIn(Status.REJECTED);
    tick();

    Optional<Entry> moved =
        store.transition(
            failed.id(),
            Set.of(Status.FAILED),
            Status.ACKNOWLEDGED,
            "acknowledged late, after Failed",
            now());
    Set<EntryId> all =
        store.transitionAll(
            List.of(rejected.id()),
            Set.of(Status.QUEUED, Status.FAILED, Status.REJECTED),
            Status.ACKNOWLEDGED,
            "acknowledged late",
            now());

    assertThat(moved).map(Entry::status).contains(Status.ACKNOWLEDGED);
    assertThat(history(failed.id()))
        .last()
        .isEqualTo(
            new HistoryRecord(
                failed.id(),
                Status.FAILED,
                Status.ACKNOWLEDGED,
                now(),
                "acknowledged late, after Failed"));
    assertThat(all).containsExactly(rejected.id());
    assertThat(get(rejected.id()).status()).isEqualTo(Status.ACKNOWLEDGED);
  }

  @Test
  @DisplayName("a SUPERSEDED entry is never acknowledged")
  void supersededIsNot() {
    assertThatThrownBy(
            () ->
                store.transitionAll(
                    List.of(EntryId.random()),
                    Set.of(Status.SUPERSEDED),
                    Status.ACKNOWLEDGED,
                    null,
                    now()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName(
      "a negative acknowledgement moves QUEUED or FAILED to REJECTED and records its reason as the last"
          + " error")
  void negativeAcknowledgement() {
    Entry queued = entryIn(Status.QUEUED);
    Entry failed = entryIn(Status.FAILED);
    tick();

    Entry one =
        store
            .transition(
                queued.id(),
                Set.of(Status.QUEUED, Status.FAILED),
                Status.REJECTED,
                "rejected by the Core App: unknown sku",
                now())
            .orElseThrow();
    Set<EntryId> moved =
        store.transitionAll(
            List.of(failed.id()),
            Set.of(Status.QUEUED, Status.FAILED),
            Status.REJECTED,
            "rejected by the Core App: no such account",
            now());

    assertThat(one.lastError()).isEqualTo("rejected by the Core App: unknown sku");
    assertThat(get(queued.id()).lastError()).isEqualTo("rejected by the Core App: unknown sku");
    assertThat(moved).containsExactly(failed.id());
    assertThat(get(failed.id()))
        .satisfies(
            e -> {
              assertThat(e.status()).isEqualTo(Status.REJECTED);
              assertThat(e.lastError()).isEqualTo("rejected by the Core App: no such account");
            });
  }

  @Test
  @DisplayName(
      "a move to FAILED by transitionAll records its detail as the last error; other moves keep it")
  void failedRecordsItsReason() {
    Entry queued = entryIn(Status.QUEUED);
    Entry retrying = entryIn(Status.RETRYING);
    tick();

    store.transitionAll(
        List.of(queued.id()), Set.of(Status.QUEUED), Status.FAILED, "gave up", now());
    store.transitionAll(
        List.of(retrying.id()), Set.of(Status.RETRYING), Status.PROCESSED, "operator", now());

    assertThat(get(queued.id()).lastError()).isEqualTo("gave up");
    assertThat(get(retrying.id()).lastError()).isEqualTo("boom");
  }
}
