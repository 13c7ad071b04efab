package dev.postoffice.spi;

import java.util.Objects;

/**
 * What a {@link MessageHandler} wants done with a delivered message.
 *
 * @param kind acknowledge, put back, or dead-letter
 * @param reason why, for requeue and dead letter; null for ack
 */
public record Disposition(Kind kind, String reason) {
  /** The three outcomes of a delivery. */
  public enum Kind {
    /** Done: the broker forgets the message. */
    ACK,
    /** Not done: the broker delivers it again (to this or another consumer). */
    REQUEUE,
    /** Poison: the transport moves it to the destination's dead-letter queue with the reason. */
    DEAD_LETTER
  }

  private static final Disposition ACK = new Disposition(Kind.ACK, null);

  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if kind is null, or reason is null for requeue or dead letter
   */
  public Disposition {
    Objects.requireNonNull(kind, "kind cannot be null");
    if (kind != Kind.ACK) {
      Objects.requireNonNull(reason, "reason cannot be null for " + kind);
    }
  }

  /** @return the acknowledgement */
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
   * Returns a dead letter.
   *
   * @param reason why the message can never be handled
   * @return the disposition
   */
  public static Disposition deadLetter(String reason) {
    return new Disposition(Kind.DEAD_LETTER, reason);
  }
}
