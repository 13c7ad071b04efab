package dev.postoffice;

import java.util.List;

/**
 * Layer 3: maps one model to zero or more models of the other side (partner to core upstream, core
 * to partner downstream). A translator maps, it does not interpret: no I/O, no hidden state, no
 * mutation of the input. Each output is stored as its own entry linked to the input.
 *
 * <p>Returning an empty list filters the input ({@code FILTERED}). Throw {@link
 * RejectedInputException} for input that cannot be translated; any other exception is retried.
 *
 * <pre>{@code
 * Translator<AcmeOrder, OrderPlaced> translator =
 *     order -> List.of(new OrderPlaced(order.id(), order.lines().size()));
 * }</pre>
 *
 * @param <I> the input model
 * @param <O> the output model
 */
@FunctionalInterface
public interface Translator<I, O> {
  /**
   * Translates one input.
   *
   * @param input the input model
   * @return the outputs, in order; may be empty, never null
   * @throws RejectedInputException if the input cannot be translated
   */
  List<O> translate(I input);
}
