package dev.postoffice.core.internal;

import dev.postoffice.StoreUnavailableException;
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
 * batch-mates. A commit that fails with anything but {@link StoreUnavailableException} (which passes, and is
 * left to the caller's retries) is split in halves until the entries that cause it are alone; each of those
 * is then committed as {@link Status#FAILED} with the store's reason in its error, and the rest commit.
 *
 * <p>Why: such a failure (a value the database cannot take, a bug) used to leave the whole batch leased; it
 * was claimed again after every lease and worked on again, repeating its publishes and partner calls
 * forever, while new entries joined the poisoned batch. Splitting costs about two commits per entry of the
 * failing batch, once.
 */
final class PoisonIsolatingCommit {
  private static final Logger log = LoggerFactory.getLogger(PoisonIsolatingCommit.class);

  private final Function<List<Completion>, CommitResult> store;
  private final Consumer<Completion> onIsolated;

  /**
   * @param store commits completions in one store call (with the caller's retries of passing failures)
   * @param onIsolated told of each entry committed as failed because the store refused its completion
   */
  PoisonIsolatingCommit(Function<List<Completion>, CommitResult> store, Consumer<Completion> onIsolated) {
    this.store = store;
    this.onIsolated = onIsolated;
  }

  /**
   * Commits the completions.
   *
   * @return what the store applied and refused; an entry committed as failed in place of its completion is in
   *     neither list, so none of its outputs is handed on
   * @throws StoreUnavailableException if the store is unreachable (part of the batch may be committed)
   */
  CommitResult commit(List<Completion> completions) {
    try {
      return store.apply(completions);
    } catch (StoreUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      if (completions.size() == 1) {
        return commitFailed(completions.get(0), e);
      }
      int half = completions.size() / 2;
      log.warn("the store refused a commit of {} entries for a reason retrying will not fix; committing them in"
          + " halves to find the entries that cause it: {}", completions.size(), e.toString());
      CommitResult first = commit(completions.subList(0, half));
      CommitResult second = commit(completions.subList(half, completions.size()));
      List<EntryId> applied = new ArrayList<>(first.applied());
      applied.addAll(second.applied());
      List<EntryId> refused = new ArrayList<>(first.refused());
      refused.addAll(second.refused());
      return new CommitResult(applied, refused);
    }
  }

  private CommitResult commitFailed(Completion refusedOne, RuntimeException cause) {
    String reason = "the store refused to commit this entry's result (" + refusedOne.newStatus().name()
        + " with " + refusedOne.outputs().size() + " output(s)), so it ends failed: "
        + FailurePolicy.describe(cause);
    Completion failed = new Completion(refusedOne.entryId(), refusedOne.owner(), refusedOne.leaseToken(),
        Status.FAILED, reason, reason, null, List.of());
    log.error("entry {}: {}", refusedOne.entryId(), reason, FailurePolicy.forLog(cause));
    // If even this fails, the entry waits for its lease to expire, as any entry of a failed commit does.
    CommitResult result = store.apply(List.of(failed));
    if (result.applied().contains(refusedOne.entryId())) {
      onIsolated.accept(failed);
      return new CommitResult(List.of(), List.of());
    }
    return result;
  }
}
