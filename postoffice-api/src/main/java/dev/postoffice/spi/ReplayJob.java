package dev.postoffice.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * A bulk replay an operator asked for: every entry an {@link EntrySearch} filter selected when the
 * job started is replayed once, newest first, by whichever node holds the job's lease. Its state is
 * in the store, so a job survives the node that ran it: another node claims it once the lease
 * expires and goes on from {@link #cursor()}.
 *
 * @param id the job's id
 * @param filter which entries, as {@link EntrySearch#filter()} (no cursor, the default page size)
 * @param requestedBy who asked, for people and for each replayed entry's history
 * @param reason why, for each replayed entry's history
 * @param state where the job is
 * @param total how many entries matched the filter when the job started (entries that leave the
 *     filter before the job reaches them are skipped)
 * @param replayed how many entries the job replayed so far
 * @param skipped how many it reached but could not replay (their status no longer allowed it)
 * @param cursor the {@link EntryPage#next()} cursor of the last page done; null before the first
 * @param owner the node that holds the job's lease, or null
 * @param leaseExpiresAt when that lease expires, or null
 * @param detail why the job ended (who cancelled it, what failed), or null while it runs
 * @param createdAt when it was requested
 * @param updatedAt when it last changed
 */
public record ReplayJob(
    String id,
    EntrySearch filter,
    String requestedBy,
    String reason,
    State state,
    long total,
    long replayed,
    long skipped,
    String cursor,
    String owner,
    Instant leaseExpiresAt,
    String detail,
    Instant createdAt,
    Instant updatedAt) {

  /** The longest job id accepted. */
  public static final int MAX_ID_LENGTH = 64;

  /**
   * Checks the required fields.
   *
   * @throws NullPointerException if a required field is null
   */
  public ReplayJob {
    Objects.requireNonNull(id, "id cannot be null");
    Objects.requireNonNull(filter, "filter cannot be null");
    Objects.requireNonNull(requestedBy, "requestedBy cannot be null");
    Objects.requireNonNull(reason, "reason cannot be null");
    Objects.requireNonNull(state, "state cannot be null");
    Objects.requireNonNull(createdAt, "createdAt cannot be null");
    Objects.requireNonNull(updatedAt, "updatedAt cannot be null");
  }

  /**
   * Tells whether the job still has work: it is {@link State#RUNNING}.
   *
   * @return true while running
   */
  public boolean isRunning() {
    return state == State.RUNNING;
  }

  /** Where a replay job is. Only {@code RUNNING} moves, to any of the others, once. */
  public enum State {
    /** Waiting for a node, or being worked through. */
    RUNNING,
    /** Every selected entry was reached. */
    DONE,
    /** An operator cancelled it; the entries replayed before stay replayed. */
    CANCELLED,
    /** It stopped on an error (named in {@link ReplayJob#detail()}). */
    FAILED
  }
}
