package dev.postoffice.micrometer.internal;

import dev.postoffice.event.StatusChanged;
import dev.postoffice.micrometer.MeterNames;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The {@code postoffice.entries} counters. A status change is the one event reported per entry
 * (several times per message), so the counter is found by array index, not by building tags and
 * asking the registry each time: that lookup would cost more than the engine's own work.
 */
final class StatusCounters {
  private static final int DIRECTIONS = Direction.values().length;
  private static final int LAYERS = Layer.values().length;
  private static final int STATUSES = Status.values().length;

  private final MeterRegistry registry;
  private final ConcurrentMap<RouteId, AtomicReferenceArray<Counter>> byRoute =
      new ConcurrentHashMap<>();

  StatusCounters(MeterRegistry registry) {
    this.registry = registry;
  }

  void count(StatusChanged event) {
    AtomicReferenceArray<Counter> counters =
        byRoute.computeIfAbsent(
            event.route(), r -> new AtomicReferenceArray<>(DIRECTIONS * LAYERS * STATUSES));
    int i =
        (event.direction().ordinal() * LAYERS + event.layer().ordinal()) * STATUSES
            + event.to().ordinal();
    Counter counter = counters.get(i);
    if (counter == null) {
      // The registry returns the same counter for the same tags, so a race only sets it twice.
      counter = counter(event.route(), event.direction(), event.layer(), event.to());
      counters.set(i, counter);
    }
    counter.increment();
  }

  private Counter counter(RouteId route, Direction direction, Layer layer, Status status) {
    return Counter.builder(MeterNames.ENTRIES)
        .description("Entries that moved into a status")
        .tag(MeterNames.TAG_ROUTE, route.value())
        .tag(MeterNames.TAG_DIRECTION, Tags.lower(direction))
        .tag(MeterNames.TAG_LAYER, layer.name())
        .tag(MeterNames.TAG_STATUS, Tags.lower(status))
        .register(registry);
  }

  /** Lower-case tag values, the way Micrometer's own binders write them. */
  static final class Tags {
    private Tags() {}

    static String lower(Enum<?> value) {
      return value.name().toLowerCase(Locale.ROOT);
    }
  }
}
