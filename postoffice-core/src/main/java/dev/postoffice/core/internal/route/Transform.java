package dev.postoffice.core.internal.route;

import dev.postoffice.model.Entry;
import java.util.List;

/** The work of a stage that turns one entry into zero or more entries of the next layer. */
@FunctionalInterface
public interface Transform {
  /**
   * Works on one entry.
   *
   * @param input the claimed entry, with its payload
   * @return its outputs; empty to filter it
   */
  List<Output> apply(Entry input);
}
