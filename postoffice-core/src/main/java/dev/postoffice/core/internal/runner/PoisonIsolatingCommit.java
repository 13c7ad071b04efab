package dev.postoffice.core.internal.runner;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.internal.stage.FailurePolicy;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits a batch's completions so that one entry the store refuses for good cannot hold back its
 * batch-mates. A commit that fails with anything but {@link StoreUnavailableException} (which
 * passes, and is left to the caller's retries) is split in halves until the entries that cause it
 * are alone. Each of those is committed again without its detail and error (the same status: a
 * publish or a partner call already made stays recorded as made) if it has no outputs, and
 * otherwise, or if that fails too, as {@link Status#FAILED} with the store's reason in its error;
 * the rest commit.
 *
 * <p>Only an entry the store has shown to be the problem is failed: a batch-mate committed in the
 * same round, or the entry has used its route's attempts ({@code maxAttempts}). When nothing of the
 * batch commits, the store itself is failing (a missing column, a read-only database during a
 * failover), not an entry's data: the failure is rethrown and the entries wait for their leases, as
 * in any outage.
 *
 * <p>Why: such a failure (a value the database cannot take, a bug) used to leave the whole batch
 * leased; it was claimed again after every lease and worked on again, repeating its publishes and
 * partner calls forever, while new entries joined the poisoned batch. Splitting costs about two
 * commits per entry of the failing batch, once.
 */
final class PoisonIsolatingCommit {
  private static final Logger log = LoggerFactory.getLogger(PoisonIsolatingCommit.class);

  private final Function<List<Completion>, CommitResult> store;
  private final Consumer<Completion> onIsolated;
  private final int maxAttempts;

  /**
   * @param store commits completions in one store call (with the caller's retries of passing
   *     failures)
   * @param onIsolated told of each entry committed as failed because the store refused its
   *     completion
   * @param maxAttempts the route's attempts: an entry refused alone on its last one is failed
   */
  PoisonIsolatingCommit(
      Function<List<Completion>, CommitResult> store,
      Consumer<Completion> onIsolated,
      int maxAttempts) {
    this.store = store;
    this.onIsolated = onIsolated;
    this.maxAttempts = maxAttempts;
  }

  /**
   * Commits the completions.
   *
   * @return what the store applied and refused; an entry committed as failed in place of its
   *     completion is in neither list, so none of its outputs is handed on
   * @throws StoreUnavailableException if the store is unreachable (part of the batch may be
   *     committed)
   * @throws RuntimeException the store's failure, if no entry of the batch could be committed
   */
  CommitResult commit(List<Completion> completions) {
    try {
      return store.apply(completions);
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn(
          "the store refused a commit of {} entries for a reason retrying will not fix; committing them in"
              + " halves to find the entries that cause it: {}",
          completions.size(),
          FailurePolicy.describe(e));
      Split split = new Split();
      split.commit(completions, e);
      if (split.applied.isEmpty() && split.refused.isEmpty() && split.isolated == 0) {
        throw e; // not one entry commits: the store is failing, not an entry's data
      }
      for (Refusal r : split.undecided) {
        split.isolate(r.completion, r.cause); // a batch-mate committed: these are the problem
      }
      return new CommitResult(split.applied, split.refused);
    }
  }

  private record Refusal(Completion completion, RuntimeException cause) {}

  /** One round of splitting: what committed, and the entries refused alone. */
  private final class Split {
    final List<EntryId> applied = new ArrayList<>();
    final List<EntryId> refused = new ArrayList<>();
    final List<Refusal> undecided = new ArrayList<>();
    int isolated;

    void commit(List<Completion> part, RuntimeException knownFailure) {
      if (part.size() == 1) {
        refusedAlone(part.get(0), knownFailure);
        return;
      }
      int half = part.size() / 2;
      tryCommit(part.subList(0, half));
      tryCommit(part.subList(half, part.size()));
    }

    private void tryCommit(List<Completion> part) {
      try {
        add(store.apply(part));
      } catch (StoreUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        commit(part, e);
      }
    }

    private void add(CommitResult result) {
      applied.addAll(result.applied());
      refused.addAll(result.refused());
    }

    private void refusedAlone(Completion c, RuntimeException cause) {
      if (c.outputs().isEmpty()
          && c.newStatus() != Status.FAILED
          && (c.detail() != null || c.lastError() != null)) {
        // A publish or a dispatch: the call was made. Record that much, without the text that may
        // be the problem.
        try {
          add(
              store.apply(
                  List.of(
                      new Completion(
                          c.entryId(),
                          c.owner(),
                          c.leaseToken(),
                          c.newStatus(),
                          null,
                          null,
                          c.nextAttemptAt(),
                          List.of()))));
          log.error(
              "entry {}: the store refused its detail or error; committed {} without them: {}",
              c.entryId(),
              c.newStatus().name(),
              FailurePolicy.describe(cause));
          return;
        } catch (StoreUnavailableException e) {
          throw e;
        } catch (RuntimeException e) {
          cause = e;
        }
      }
      if (!applied.isEmpty() || c.leaseToken() >= maxAttempts) {
        isolate(c, cause);
      } else {
        undecided.add(new Refusal(c, cause));
      }
    }

    void isolate(Completion refusedOne, RuntimeException cause) {
      String reason =
          "the store refused to commit this entry's result ("
              + refusedOne.newStatus().name()
              + " with "
              + refusedOne.outputs().size()
              + " output(s)), so it ends failed: "
              + FailurePolicy.describe(cause);
      Completion failed =
          new Completion(
              refusedOne.entryId(),
              refusedOne.owner(),
              refusedOne.leaseToken(),
              Status.FAILED,
              reason,
              reason,
              null,
              List.of());
      log.error("entry {}: {}", refusedOne.entryId(), reason, FailurePolicy.forLog(cause));
      CommitResult result;
      try {
        result = store.apply(List.of(failed));
      } catch (StoreUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        // The rest of the batch still commits; this entry waits for its lease, then its attempts
        // run out.
        log.error(
            "entry {}: the store refused even its failure; it waits for its lease to expire: {}",
            refusedOne.entryId(),
            FailurePolicy.describe(e));
        return;
      }
      if (result.applied().contains(refusedOne.entryId())) {
        isolated++;
        onIsolated.accept(failed);
      } else {
        refused.addAll(result.refused());
      }
    }
  }
}
