package dev.postoffice.core.internal;

import dev.postoffice.model.Entry;
import org.slf4j.MDC;

/**
 * Puts an entry's trace id, route, layer and id in the SLF4J MDC while a stage works on it, so
 * every log line the stage (or the host's code) emits can be traced.
 */
public final class Mdc implements AutoCloseable {
  static final String TRACE_ID = "traceId";
  static final String ROUTE = "route";
  static final String LAYER = "layer";
  static final String ENTRY_ID = "entryId";

  private Mdc() {}

  public static Mdc of(Entry entry) {
    MDC.put(TRACE_ID, entry.traceId().value());
    MDC.put(ROUTE, entry.route().value());
    MDC.put(LAYER, entry.layer().name());
    MDC.put(ENTRY_ID, entry.id().value());
    return new Mdc();
  }

  @Override
  public void close() {
    MDC.remove(TRACE_ID);
    MDC.remove(ROUTE);
    MDC.remove(LAYER);
    MDC.remove(ENTRY_ID);
  }
}
