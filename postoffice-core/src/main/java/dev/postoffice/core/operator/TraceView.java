package dev.postoffice.core.operator;

import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.TraceId;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Everything that descends from one original receipt: every entry of every layer, with its status,
 * history and last error.
 *
 * @param traceId the trace
 * @param entries its entries, each after its source (depth first: a message's layers in lineage
 *     order), siblings by creation time
 */
public record TraceView(TraceId traceId, List<TracedEntry> entries) {
  /** Copies the entries. */
  public TraceView {
    entries = List.copyOf(entries);
  }

  /**
   * Renders the trace for people: one block per entry, then its history.
   *
   * @return the text
   */
  public String render() {
    StringBuilder out = new StringBuilder("trace ").append(traceId).append('\n');
    for (TracedEntry traced : entries) {
      Entry e = traced.entry();
      out.append(
          String.format(
              "  %s %-10s %-13s %s%s%s%n",
              e.layer(),
              e.direction(),
              e.status().displayName(),
              e.id(),
              e.sourceId() == null ? "" : " <- " + e.sourceId(),
              e.producedBy() == null ? "" : " [" + e.producedBy() + "]"));
      if (e.lastError() != null) {
        out.append("      error: ").append(e.lastError()).append('\n');
      }
      for (HistoryRecord h : traced.history()) {
        out.append(
            String.format(
                "      %s  %s -> %s%s%n",
                h.at().truncatedTo(ChronoUnit.MILLIS),
                h.from() == null ? "(new)" : h.from().displayName(),
                h.to().displayName(),
                h.detail() == null ? "" : "  (" + h.detail() + ")"));
      }
    }
    return out.toString();
  }
}
