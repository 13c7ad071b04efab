package dev.postoffice.core.operator;

import dev.postoffice.model.Entry;
import java.util.List;

/**
 * An entry's place in its lineage: the chain back to the original receipt, and everything it
 * produced.
 *
 * @param entry the entry asked about
 * @param ancestors its sources, from the original receipt down to its direct source
 * @param descendants everything it produced, directly or not, breadth first, each with its status
 */
public record Lineage(Entry entry, List<Entry> ancestors, List<Entry> descendants) {
  /** Copies the lists. */
  public Lineage {
    ancestors = List.copyOf(ancestors);
    descendants = List.copyOf(descendants);
  }

  /**
   * Returns the original receipt: the raw partner message upstream, the Core App message
   * downstream.
   *
   * @return the root entry
   */
  public Entry root() {
    return ancestors.isEmpty() ? entry : ancestors.get(0);
  }
}
