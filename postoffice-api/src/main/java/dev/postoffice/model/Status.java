package dev.postoffice.model;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where an entry is in its life. Every change is appended to the entry's history.
 *
 * <p>The allowed moves are fixed by {@link #canMoveTo(Status)}; any other move is a bug, and stores
 * refuse it with {@link dev.postoffice.IllegalStatusTransitionException#check}. {@code JUST_IN} and
 * {@code DUPLICATE} are the only statuses an entry is created with.
 */
public enum Status {
  /** Stored, waiting for its layer's work. The first status of every entry. */
  JUST_IN("Just In"),
  /** Handed to the next layer: its outputs are stored. */
  PROCESSED("Processed"),
  /** A stage chose to drop it (a translator returned no outputs). */
  FILTERED("Filtered"),
  /** Layer 4 upstream: the broker has confirmed the message; waiting for the Core App. */
  QUEUED("Queued"),
  /** Layer 4 upstream: the Core App confirmed receipt. */
  ACKNOWLEDGED("Acknowledged"),
  /** Layer 1 downstream: the partner accepted the request. */
  DISPATCHED("Dispatched"),
  /** A transient failure; tried again at the entry's next attempt time. */
  RETRYING("Retrying"),
  /** Gave up after the route's maximum attempts; waits for an operator. */
  FAILED("Failed"),
  /** Bad input; never retried automatically. */
  REJECTED("Rejected"),
  /** Its dedup key was seen before: recorded, not processed. */
  DUPLICATE("Duplicate"),
  /** Replaced by the outputs of a replay of its source; kept for the record. */
  SUPERSEDED("Superseded");

  private static final Map<Status, Set<Status>> ALLOWED = new EnumMap<>(Status.class);

  static {
    Set<Status> fromWork =
        EnumSet.of(
            PROCESSED,
            FILTERED,
            QUEUED,
            DISPATCHED,
            RETRYING,
            FAILED,
            REJECTED,
            SUPERSEDED,
            ACKNOWLEDGED);
    ALLOWED.put(JUST_IN, fromWork);
    ALLOWED.put(RETRYING, fromWork);
    // QUEUED -> JUST_IN is the republish after an acknowledgement timeout; QUEUED -> REJECTED the
    // Core App's
    // negative acknowledgement.
    ALLOWED.put(QUEUED, EnumSet.of(ACKNOWLEDGED, JUST_IN, FAILED, REJECTED, SUPERSEDED));
    // Finished entries may be replayed by an operator (-> JUST_IN) or superseded by a replay of
    // their source.
    for (Status done :
        EnumSet.of(PROCESSED, FILTERED, ACKNOWLEDGED, DISPATCHED, FAILED, REJECTED)) {
      ALLOWED.put(done, EnumSet.of(JUST_IN, SUPERSEDED));
    }
    // The Core App's answer is taken whenever it comes (the store decides, and the Core App saw the
    // message):
    // a late acknowledgement of an entry given up (FAILED) or rejected, and a late negative
    // acknowledgement
    // of one given up. See acceptsAcknowledgement().
    ALLOWED.get(FAILED).add(ACKNOWLEDGED);
    ALLOWED.get(FAILED).add(REJECTED);
    ALLOWED.get(REJECTED).add(ACKNOWLEDGED);
    ALLOWED.put(DUPLICATE, EnumSet.noneOf(Status.class));
    ALLOWED.put(SUPERSEDED, EnumSet.noneOf(Status.class));
  }

  private final String displayName;

  Status(String displayName) {
    this.displayName = displayName;
  }

  /**
   * Returns the name people read, such as {@code "Just In"}.
   *
   * @return the display name
   */
  public String displayName() {
    return displayName;
  }

  /**
   * Tells whether a stage may claim an entry in this status.
   *
   * @return true for {@link #JUST_IN} and {@link #RETRYING}
   */
  public boolean isClaimable() {
    return this == JUST_IN || this == RETRYING;
  }

  /**
   * Tells whether the entry is finished: nothing will happen to it unless an operator replays it.
   *
   * @return false for {@link #JUST_IN}, {@link #RETRYING} and {@link #QUEUED}
   */
  public boolean isTerminal() {
    return this != JUST_IN && this != RETRYING && this != QUEUED;
  }

  /**
   * Tells whether a layer-4 upstream entry in this status takes the Core App's acknowledgement:
   * every status such an entry can have ({@link #JUST_IN}, {@link #RETRYING}, {@link #QUEUED},
   * {@link #FAILED}, {@link #REJECTED}) but {@link #SUPERSEDED} (a replay replaced it) and {@link
   * #ACKNOWLEDGED} itself. An acknowledgement that arrives after the entry was given up ({@link
   * #FAILED}) or rejected is still taken, and its history row says it came late.
   *
   * @return true if this status can move to {@link #ACKNOWLEDGED}
   */
  public boolean acceptsAcknowledgement() {
    return canMoveTo(ACKNOWLEDGED);
  }

  /**
   * Tells whether an entry may move from this status to another.
   *
   * @param to the new status
   * @return true if the move is allowed
   */
  public boolean canMoveTo(Status to) {
    return ALLOWED.get(this).contains(to);
  }

  /**
   * Returns the statuses this one may move to.
   *
   * @return an unmodifiable set
   */
  public Set<Status> allowedNext() {
    return Collections.unmodifiableSet(ALLOWED.get(this));
  }

  @Override
  public String toString() {
    return displayName;
  }
}
