package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.IllegalStatusTransitionException;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Payload;
import dev.postoffice.model.Status;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "commit". How a
 * commit applies completions: fencing tokens, outputs, retries, the lifecycle's moves.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class CommitContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected CommitContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName(
      "moves the entry, clears its lease, records the error and appends a history row with the detail")
  void appliesStatus() {
    Entry e = intakeOne();
    Entry claimed = claim(1).get(0);
    tick();
    Completion c =
        new Completion(
            e.id(),
            OWNER,
            claimed.attempts(),
            Status.REJECTED,
            "bad json",
            "unexpected token",
            null,
            List.of());
    CommitResult result = commit(c);

    assertThat(result.applied()).containsExactly(e.id());
    assertThat(result.refused()).isEmpty();
    Entry after = get(e.id());
    assertThat(after.status()).isEqualTo(Status.REJECTED);
    assertThat(after.lease()).isNull();
    assertThat(after.lastError()).isEqualTo("unexpected token");
    assertThat(after.nextAttemptAt()).isNull();
    assertThat(after.attempts()).isEqualTo(1);
    assertThat(after.updatedAt()).isEqualTo(now());
    assertThat(history(e.id()))
        .last()
        .isEqualTo(new HistoryRecord(e.id(), Status.JUST_IN, Status.REJECTED, now(), "bad json"));
  }

  @Test
  @DisplayName("inserts the outputs as JUST_IN entries linked to their source, in the same call")
  void insertsOutputs() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    tick();
    NewEntry out0 = output(claimed, 0);
    NewEntry out1 = output(claimed, 1);
    assertThat(commit(done(claimed, Status.PROCESSED, out0, out1)).applied())
        .containsExactly(claimed.id());

    for (NewEntry out : List.of(out0, out1)) {
      Entry o = get(out.id());
      assertThat(o.status()).isEqualTo(Status.JUST_IN);
      assertThat(o.sourceId()).isEqualTo(claimed.id());
      assertThat(o.traceId()).isEqualTo(claimed.traceId());
      assertThat(o.layer()).isEqualTo(Layer.L2);
      assertThat(o.attempts()).isZero();
      assertThat(o.lease()).isNull();
      assertThat(o.payload()).isEqualTo(out.payload());
      assertThat(o.headers()).isEqualTo(out.headers());
      assertThat(o.producedBy()).isEqualTo("stage@2");
      assertThat(o.createdAt()).isEqualTo(now());
      assertThat(history(out.id()))
          .containsExactly(new HistoryRecord(out.id(), null, Status.JUST_IN, now(), null));
    }
    assertThat(get(claimed.id()).status()).isEqualTo(Status.PROCESSED);
    assertThat(claim(route, Layer.L2, 10, OWNER))
        .extracting(Entry::id)
        .containsExactly(out0.id(), out1.id());
  }

  @Test
  @DisplayName("creates an output given with a lease already claimed by that lease's owner")
  void preClaimedOutput() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    Lease lease = new Lease(OWNER, now().plus(LEASE));
    NewEntry out = output(claimed, 0).withLease(lease);
    commit(done(claimed, Status.PROCESSED, out));

    Entry o = get(out.id());
    assertThat(o.attempts()).isEqualTo(1);
    assertThat(o.lease()).isEqualTo(lease);
    assertThat(claim(route, Layer.L2, 10, OTHER)).isEmpty();
  }

  @Test
  @DisplayName(
      "refuses a completion whose token is stale after the lease expired and another node claimed")
  void staleToken() {
    Entry e = intakeOne();
    Entry mine = claim(1).get(0);
    clock.advance(LEASE);
    Entry theirs = claim(route, Layer.L1, 1, OTHER).get(0);
    tick();

    CommitResult late = commit(done(mine, Status.PROCESSED, output(mine, 0)));
    assertThat(late.applied()).isEmpty();
    assertThat(late.refused()).containsExactly(e.id());
    assertThat(get(e.id()).status()).isEqualTo(Status.JUST_IN);
    assertThat(get(e.id()).lease()).isEqualTo(theirs.lease());
    assertThat(store.find(output(mine, 0).id())).isEmpty();
    assertThat(history(e.id())).hasSize(1);

    assertThat(commit(done(theirs, Status.PROCESSED)).applied()).containsExactly(e.id());
  }

  @Test
  @DisplayName("refuses a completion from another owner than the lease's")
  void wrongOwner() {
    Entry e = intakeOne();
    Entry claimed = claim(1).get(0);
    Completion c =
        new Completion(
            e.id(),
            OTHER,
            claimed.attempts(),
            Status.PROCESSED,
            null,
            null,
            null,
            List.of(output(claimed, 0)));
    assertThat(commit(c).refused()).containsExactly(e.id());
    assertThat(get(e.id()).status()).isEqualTo(Status.JUST_IN);
    assertThat(store.find(output(claimed, 0).id())).isEmpty();
  }

  @Test
  @DisplayName("refuses a completion for an entry nobody claimed, or that does not exist")
  void unclaimedOrMissing() {
    Entry e = intakeOne();
    Completion unclaimed =
        new Completion(e.id(), OWNER, 0, Status.PROCESSED, null, null, null, List.of());
    Completion missing =
        new Completion(EntryId.random(), OWNER, 1, Status.PROCESSED, null, null, null, List.of());
    CommitResult result = commit(unclaimed, missing);
    assertThat(result.applied()).isEmpty();
    assertThat(result.refused()).containsExactly(unclaimed.entryId(), missing.entryId());
    assertThat(get(e.id()).status()).isEqualTo(Status.JUST_IN);
  }

  @Test
  @DisplayName("refuses a second completion of an entry already completed")
  void alreadyCompleted() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    commit(done(claimed, Status.PROCESSED));
    assertThat(commit(done(claimed, Status.FAILED)).refused()).containsExactly(claimed.id());
    assertThat(get(claimed.id()).status()).isEqualTo(Status.PROCESSED);
  }

  @Test
  @DisplayName("still applies a completion whose lease expired if nobody claimed the entry since")
  void expiredButNotReclaimed() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    clock.advance(LEASE.multipliedBy(3));
    assertThat(commit(done(claimed, Status.PROCESSED)).applied()).containsExactly(claimed.id());
  }

  @Test
  @DisplayName("applies some and refuses others in one call")
  void mixed() {
    intakeOne();
    tick();
    intakeOne();
    List<Entry> claimed = claim(2);
    Completion good = done(claimed.get(0), Status.PROCESSED);
    Completion bad =
        new Completion(
            claimed.get(1).id(),
            OTHER,
            claimed.get(1).attempts(),
            Status.PROCESSED,
            null,
            null,
            null,
            List.of());
    CommitResult result = commit(good, bad);
    assertThat(result.applied()).containsExactly(good.entryId());
    assertThat(result.refused()).containsExactly(bad.entryId());
  }

  @Test
  @DisplayName("leaves an output whose id exists as it is")
  void existingOutputSkipped() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    NewEntry out = output(claimed, 0);
    commit(done(claimed, Status.PROCESSED, out));
    Entry before = get(out.id());
    Entry replayed = store.replay(claimed.id(), "again", now());
    tick();
    Entry again = claim(1).get(0);
    NewEntry sameId =
        new NewEntry(
            out.id(),
            route,
            Direction.UPSTREAM,
            Layer.L2,
            Payload.json("{\"x\":2}"),
            Map.of(),
            again.id(),
            again.traceId(),
            null,
            "stage@3",
            null);

    assertThat(commit(done(again, Status.PROCESSED, sameId)).applied())
        .containsExactly(replayed.id());
    Entry after = get(out.id());
    assertThat(after.payload()).isEqualTo(before.payload());
    assertThat(after.producedBy()).isEqualTo("stage@2");
    assertThat(history(out.id())).hasSize(2);
  }

  @Test
  @DisplayName(
      "throws IllegalStatusTransitionException for a move the lifecycle forbids, and writes nothing")
  void illegalMove() {
    intakeOne();
    tick();
    intakeOne();
    List<Entry> claimed = claim(2);
    Completion legal = done(claimed.get(0), Status.PROCESSED, output(claimed.get(0), 0));
    Completion illegal = done(claimed.get(1), Status.DUPLICATE);

    assertThatThrownBy(() -> commit(legal, illegal))
        .isInstanceOfSatisfying(
            IllegalStatusTransitionException.class,
            e -> {
              assertThat(e.entryId()).isEqualTo(claimed.get(1).id());
              assertThat(e.from()).isEqualTo(Status.JUST_IN);
              assertThat(e.to()).isEqualTo(Status.DUPLICATE);
            });
    for (Entry c : claimed) {
      assertThat(get(c.id()).status()).isEqualTo(Status.JUST_IN);
      assertThat(get(c.id()).lease()).isEqualTo(c.lease());
      assertThat(history(c.id())).hasSize(1);
    }
    assertThat(store.find(output(claimed.get(0), 0).id())).isEmpty();
  }

  @Test
  @DisplayName("refuses to move JUST_IN to JUST_IN")
  void sameStatusOnlyForRetrying() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    assertThatThrownBy(() -> commit(done(claimed, Status.JUST_IN)))
        .isInstanceOf(IllegalStatusTransitionException.class);
  }

  @Test
  @DisplayName(
      "schedules a retry: RETRYING with the next attempt time and the error, lease cleared")
  void retrying() {
    intakeOne();
    Entry claimed = claim(1).get(0);
    Instant next = now().plus(Duration.ofMinutes(1));
    commit(retry(claimed, next, "503 from partner"));

    Entry after = get(claimed.id());
    assertThat(after.status()).isEqualTo(Status.RETRYING);
    assertThat(after.nextAttemptAt()).isEqualTo(next);
    assertThat(after.lastError()).isEqualTo("503 from partner");
    assertThat(after.lease()).isNull();
    assertThat(after.attempts()).isEqualTo(1);
    assertThat(history(claimed.id()))
        .last()
        .extracting(HistoryRecord::from, HistoryRecord::to)
        .containsExactly(Status.JUST_IN, Status.RETRYING);
  }

  @Test
  @DisplayName(
      "moves RETRYING to RETRYING again on another failure, and clears the error on success")
  void retryAgainThenSucceed() {
    intakeOne();
    commit(retry(claim(1).get(0), now().plusSeconds(5), "first"));
    clock.advance(Duration.ofSeconds(5));
    Entry second = claim(1).get(0);
    commit(retry(second, now().plusSeconds(10), "second"));
    assertThat(get(second.id()).lastError()).isEqualTo("second");
    assertThat(get(second.id()).nextAttemptAt()).isEqualTo(now().plusSeconds(10));
    clock.advance(Duration.ofSeconds(10));
    Entry third = claim(1).get(0);
    assertThat(third.attempts()).isEqualTo(3);
    commit(done(third, Status.PROCESSED));
    Entry after = get(third.id());
    assertThat(after.status()).isEqualTo(Status.PROCESSED);
    assertThat(after.lastError()).isNull();
    assertThat(after.nextAttemptAt()).isNull();
    assertThat(history(third.id()))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN, Status.RETRYING, Status.RETRYING, Status.PROCESSED);
  }
}
