package dev.postoffice;

/**
 * Layer 2 upstream: parses and validates a partner's raw bytes against the partner's API signature
 * into the partner's typed model. It must not mutate its input and should not call out to other
 * systems.
 *
 * <p>Throw {@link RejectedInputException} for input that does not match the signature (the entry is
 * rejected at once, with your message as the reason); any other exception is retried.
 *
 * <pre>{@code
 * Normalizer<AcmeOrder> normalizer = raw -> codec.decode(raw.payload(), AcmeOrder.class);
 * }</pre>
 *
 * @param <P> the partner's typed model
 */
@FunctionalInterface
public interface Normalizer<P> {
  /**
   * Parses one raw message.
   *
   * @param raw the message as received
   * @return the partner model; never null
   * @throws RejectedInputException if the input is malformed
   */
  P normalize(RawMessage raw);
}
