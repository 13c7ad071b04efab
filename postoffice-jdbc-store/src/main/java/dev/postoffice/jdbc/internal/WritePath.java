package dev.postoffice.jdbc.internal;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * How the store's writes run on one database, each with its own transactions and retries: the
 * {@linkplain PortableWritePath portable path} (MariaDB, H2) or {@linkplain PostgresWritePath
 * PostgreSQL's} one-statement path. {@link StoreOperations} picks one per dialect when it is built,
 * so no operation asks which database it is on.
 */
interface WritePath {
  /** See {@code StatusStore#intake}; the entries may be empty (a cursor move alone, or nothing). */
  List<IntakeResult> intake(List<NewEntry> entries, CursorUpdate cursor, Instant now);

  /** See {@code StatusStore#claim}. */
  List<Entry> claim(ClaimRequest request);

  /** See {@code StatusStore#commit}; the completions are not empty. */
  CommitResult commit(List<Completion> completions, Instant now);

  /** See {@code StatusStore#transition}. */
  Optional<Entry> transition(EntryId id, Set<Status> from, Status to, String detail, Instant now);

  /** See {@code StatusStore#transitionAll}; the ids are not empty. */
  Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now);

  /** See {@code StatusStore#renew}; the tokens (entry id to lease token) are not empty. */
  Set<EntryId> renew(
      String owner, Map<String, Integer> tokens, Duration leaseDuration, Instant now);
}
