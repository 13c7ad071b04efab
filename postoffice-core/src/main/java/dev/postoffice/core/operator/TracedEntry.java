package dev.postoffice.core.operator;

import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import java.util.List;

/**
 * One entry of a trace with its full history.
 *
 * @param entry the entry (without payload)
 * @param history its status changes, oldest first
 */
public record TracedEntry(Entry entry, List<HistoryRecord> history) {
  /** Copies the history. */
  public TracedEntry {
    history = List.copyOf(history);
  }
}
