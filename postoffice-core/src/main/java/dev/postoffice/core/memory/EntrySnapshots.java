package dev.postoffice.core.memory;

import dev.postoffice.model.Entry;
import dev.postoffice.model.Lease;
import dev.postoffice.model.Status;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;

/**
 * The new snapshots of an entry that the store's operations make. They call {@link Entry}'s
 * canonical constructor rather than its builder: these run for every entry and every change, on the
 * engine's hot path.
 */
final class EntrySnapshots {
  private EntrySnapshots() {}

  /**
   * A new entry as intake or a completion stores it in {@code status}: {@code JUST_IN} with the
   * lease it came with (if any), {@code DUPLICATE}, or {@link NewEntry#finishedAs()}. A leased
   * entry has used its first attempt, and so has one stored finished (its work was done in the
   * batch that made it).
   */
  static Entry created(NewEntry n, Status status, Instant now) {
    Lease lease = status == Status.JUST_IN ? n.lease() : null;
    boolean finished = status == n.finishedAs();
    int attempts = lease != null || finished ? 1 : 0;
    return new Entry(
        n.id(),
        n.route(),
        n.direction(),
        n.layer(),
        status,
        n.payload(),
        n.headers(),
        n.sourceId(),
        n.traceId(),
        n.dedupKey(),
        attempts,
        null,
        null,
        0,
        n.producedBy(),
        lease,
        now,
        now);
  }

  /** An entry claimed: under the claimer's lease, with one more attempt (the new fencing token). */
  static Entry claimed(Entry e, Lease lease, Instant now) {
    return new Entry(
        e.id(),
        e.route(),
        e.direction(),
        e.layer(),
        e.status(),
        e.payload(),
        e.headers(),
        e.sourceId(),
        e.traceId(),
        e.dedupKey(),
        e.attempts() + 1,
        e.nextAttemptAt(),
        e.lastError(),
        e.generation(),
        e.producedBy(),
        lease,
        e.createdAt(),
        now);
  }

  /** An entry moved to another status: no lease, the given next attempt time and last error. */
  static Entry moved(Entry e, Status to, Instant nextAttemptAt, String lastError, Instant now) {
    return new Entry(
        e.id(),
        e.route(),
        e.direction(),
        e.layer(),
        to,
        e.payload(),
        e.headers(),
        e.sourceId(),
        e.traceId(),
        e.dedupKey(),
        e.attempts(),
        nextAttemptAt,
        lastError,
        e.generation(),
        e.producedBy(),
        null,
        e.createdAt(),
        now);
  }

  /** An entry as lineage and trace queries return it: without its payload. */
  static Entry withoutPayload(Entry e) {
    return e.payload() == null ? e : e.toBuilder().payload(null).build();
  }
}
