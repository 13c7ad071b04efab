package dev.postoffice.jdbc;

import dev.postoffice.model.EntryId;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.ForwardingStatusStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Queue;

/**
 * One node's store, recording for every applied completion which node committed it: each entry id
 * belongs to one stage, so a second record for an id is an entry worked to completion twice in one
 * stage.
 */
final class RecordingStore extends ForwardingStatusStore {
  private final String node;
  private final Map<EntryId, String> committedBy;
  private final Queue<EntryId> twice;

  RecordingStore(
      StatusStore delegate, String node, Map<EntryId, String> committedBy, Queue<EntryId> twice) {
    super(delegate);
    this.node = node;
    this.committedBy = committedBy;
    this.twice = twice;
  }

  @Override
  public CommitResult commit(List<Completion> completions, Instant now) {
    CommitResult result = super.commit(completions, now);
    for (EntryId id : result.applied()) {
      if (committedBy.putIfAbsent(id, node) != null) {
        twice.add(id);
      }
    }
    return result;
  }
}
