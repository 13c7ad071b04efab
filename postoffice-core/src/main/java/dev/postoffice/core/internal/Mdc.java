package dev.postoffice.core.internal;

import dev.postoffice.model.Entry;
import org.slf4j.MDC;

/**
 * Puts an entry's trace id, route, layer and id in the SLF4J MDC while a stage works on it, so
 * every log line the stage (or the host's code) emits can be traced. Closing puts back what the
 * keys held before, rather than removing them: a host that runs PostOffice on a thread of its own
 * (or uses the same {@code traceId} key for its tracing) keeps its values, and a nested use
 * restores the outer entry's.
 */
public final class Mdc implements AutoCloseable {
  static final String TRACE_ID = "traceId";
  static final String ROUTE = "route";
  static final String LAYER = "layer";
  static final String ENTRY_ID = "entryId";

  private final String traceId;
  private final String route;
  private final String layer;
  private final String entryId;

  private Mdc() {
    this.traceId = MDC.get(TRACE_ID);
    this.route = MDC.get(ROUTE);
    this.layer = MDC.get(LAYER);
    this.entryId = MDC.get(ENTRY_ID);
  }

  public static Mdc of(Entry entry) {
    Mdc previous = new Mdc();
    MDC.put(TRACE_ID, entry.traceId().value());
    MDC.put(ROUTE, entry.route().value());
    MDC.put(LAYER, entry.layer().name());
    MDC.put(ENTRY_ID, entry.id().value());
    return previous;
  }

  @Override
  public void close() {
    restore(TRACE_ID, traceId);
    restore(ROUTE, route);
    restore(LAYER, layer);
    restore(ENTRY_ID, entryId);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
