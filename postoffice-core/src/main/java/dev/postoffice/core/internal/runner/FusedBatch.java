package dev.postoffice.core.internal.runner;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Completions a worker has computed but not committed yet, while it carries their outputs through
 * the next transform stages of its route in memory. When the next stage succeeds on every output,
 * each output is marked finished ({@link NewEntry#finished}) and that stage's own outputs join the
 * same completion, so three transform stages cost one store commit instead of three, and the middle
 * layers' entries are written once, in their final status, instead of inserted then updated.
 *
 * <p>Nothing here is durable until the commit: if the node dies first, the claimed entries' leases
 * expire and another worker does the whole run again with the same derived output ids. Not
 * thread-safe: one worker owns it.
 */
final class FusedBatch {
  private final List<Completion> roots;
  private final List<Entry> claimed;
  private final List<List<NewEntry>> outputs = new ArrayList<>();

  /** Where each output sits: its root's index and its position in that root's outputs. */
  private final Map<EntryId, int[]> where = new HashMap<>();

  /**
   * @param completions the completions of the claimed entries
   * @param claimed the entries as claimed, the roots' previous statuses for the listener
   */
  FusedBatch(List<Completion> completions, List<Entry> claimed) {
    this.roots = completions;
    this.claimed = claimed;
    for (int r = 0; r < completions.size(); r++) {
      List<NewEntry> own = new ArrayList<>(completions.get(r).outputs());
      outputs.add(own);
      for (int i = 0; i < own.size(); i++) {
        where.put(own.get(i).id(), new int[] {r, i});
      }
    }
  }

  /**
   * Joins a stage's completions to the earlier stages' uncommitted work whose outputs that stage
   * worked on: each output is stored finished, with its own outputs after it.
   *
   * @param earlier the earlier stages' work, or null to start a batch of {@code completions} alone
   * @param claimed the entries {@code completions} complete, as claimed (used without earlier)
   * @return {@code earlier}, extended, or the new batch
   */
  static FusedBatch extend(FusedBatch earlier, List<Completion> completions, List<Entry> claimed) {
    if (earlier == null) {
      return new FusedBatch(completions, claimed);
    }
    for (Completion c : completions) {
      earlier.finish(c.entryId(), c.newStatus(), c.detail(), c.outputs());
    }
    return earlier;
  }

  /**
   * Records that an output was worked on: it will be stored already in {@code status}, and its own
   * outputs are stored with it, after it.
   *
   * @throws IllegalArgumentException if {@code id} is not an output of this batch
   */
  void finish(EntryId id, Status status, String detail, List<NewEntry> itsOutputs) {
    int[] at = where.get(id);
    if (at == null) {
      throw new IllegalArgumentException("entry " + id + " is not an output of this fused batch");
    }
    List<NewEntry> own = outputs.get(at[0]);
    own.set(at[1], own.get(at[1]).finished(status, detail));
    for (NewEntry out : itsOutputs) {
      where.put(out.id(), new int[] {at[0], own.size()});
      own.add(out);
    }
  }

  /** Returns the id of the claimed entry whose completion carries this output. */
  EntryId rootOf(EntryId outputId) {
    int[] at = where.get(outputId);
    return at == null ? outputId : roots.get(at[0]).entryId();
  }

  /** The number of completions (of claimed entries) it commits. */
  int rootCount() {
    return roots.size();
  }

  /** The claimed entries the completions complete, as they were claimed. */
  List<Entry> claimed() {
    return claimed;
  }

  /** The completions to commit, each with its outputs as they stand now. */
  List<Completion> completions() {
    List<Completion> out = new ArrayList<>(roots.size());
    for (int r = 0; r < roots.size(); r++) {
      Completion c = roots.get(r);
      out.add(
          new Completion(
              c.entryId(),
              c.owner(),
              c.leaseToken(),
              c.newStatus(),
              c.detail(),
              c.lastError(),
              c.nextAttemptAt(),
              outputs.get(r)));
    }
    return out;
  }
}
