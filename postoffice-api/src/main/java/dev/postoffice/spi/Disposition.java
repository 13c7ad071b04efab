package dev.postoffice.spi;

import java.util.Objects;

/**
 * What a {@link MessageHandler} wants done with a delivered message.
 *
 * <p>Two ways to put a message back differ in who is to blame. A {@link Kind#REQUEUE} says the
 * message could not be handled: it counts as a delivery attempt, and the transport dead-letters it
 * once it has been delivered its maximum number of times. A {@link Kind#RELEASE} says the handler
 * cannot take any message right now (its store is down, its backlog is full): the message is put
 * back <em>without</em> counting as a delivery attempt, so however long the handler is unavailable,
 * no message reaches the dead-letter queue for it. A handler that releases should also {@link
 * Subscription#pause() pause} its subscription until it can take messages again, or the broker
 * keeps offering them.
 *
 * @param kind acknowledge, requeue, release, or dead-letter
 * @param reason why, for requeue, release and dead letter; null for ack
 */
public record Disposition(Kind kind, String reason) {
  /** The outcomes of a delivery. */
  public enum Kind {
    /** Done: the broker forgets the message. */
    ACK,
    /**
     * Not done: the broker delivers it again (to this or another consumer). Counts as a delivery
     * attempt: a message requeued on its last allowed delivery is dead-lettered instead.
     */
    REQUEUE,
    /**
     * Put back, not a delivery attempt: the handler is unavailable for a while, whatever the
     * message. The broker delivers it again (to this or another consumer), with the delivery count
     * it had before this delivery, and never dead-letters it for a release. Meant for temporary
     * refusals only; a message the handler cannot handle is {@link #REQUEUE}d or {@link
     * #DEAD_LETTER}ed.
     */
    RELEASE,
    /** Poison: the transport moves it to the destination's dead-letter queue with the reason. */
    DEAD_LETTER
  }

  private static final Disposition ACK = new Disposition(Kind.ACK, null);

  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if kind is null, or reason is null for requeue, release or dead
   *     letter
   */
  public Disposition {
    Objects.requireNonNull(kind, "kind cannot be null");
    if (kind != Kind.ACK) {
      Objects.requireNonNull(reason, "reason cannot be null for " + kind);
    }
  }

  /**
   * @return the acknowledgement
   */
  public static Disposition ack() {
    return ACK;
  }

  /**
   * Returns a requeue.
   *
   * @param reason why the message could not be handled now
   * @return the disposition
   */
  public static Disposition requeue(String reason) {
    return new Disposition(Kind.REQUEUE, reason);
  }

  /**
   * Returns a release: the message goes back without counting as a delivery attempt.
   *
   * @param reason why the handler cannot take messages now, such as "the store is unavailable"
   * @return the disposition
   */
  public static Disposition release(String reason) {
    return new Disposition(Kind.RELEASE, reason);
  }

  /**
   * Returns a dead letter.
   *
   * @param reason why the message can never be handled
   * @return the disposition
   */
  public static Disposition deadLetter(String reason) {
    return new Disposition(Kind.DEAD_LETTER, reason);
  }
}
