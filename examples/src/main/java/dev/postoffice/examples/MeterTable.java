package dev.postoffice.examples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Renders the pipeline's meters, one line each, the way a scrape would show them: counters and
 * gauges with their value, timers with their count, mean and max. Meters at zero are left out (a
 * settled pipeline has empty backlogs), and counted in the last line.
 */
final class MeterTable {
  private MeterTable() {}

  static String render(MeterRegistry registry) {
    List<Meter> meters = new ArrayList<>(registry.getMeters());
    meters.sort(Comparator.comparing(MeterTable::name));
    StringBuilder out = new StringBuilder();
    int zero = 0;
    for (Meter meter : meters) {
      String value = value(meter);
      if (value == null) {
        zero++;
      } else {
        out.append(String.format(Locale.ROOT, "  %-78s %s%n", name(meter), value));
      }
    }
    out.append(String.format(Locale.ROOT, "  (%d meters at zero not shown)%n", zero));
    return out.toString();
  }

  private static String name(Meter meter) {
    return meter.getId().getName()
        + meter.getId().getTags().stream()
            // the route first, then the other tags in key order (layer, stage, status, ...)
            .sorted(Comparator.comparing((Tag t) -> !t.getKey().equals("route")))
            .map(Tag::getValue)
            .collect(Collectors.joining(" ", " ", ""));
  }

  /** The value to print, or null when the meter is at zero. */
  private static String value(Meter meter) {
    if (meter instanceof Timer t) {
      return t.count() == 0
          ? null
          : String.format(
              Locale.ROOT,
              "%,d x, mean %.1f ms, max %.1f ms",
              t.count(),
              t.mean(TimeUnit.MILLISECONDS),
              t.max(TimeUnit.MILLISECONDS));
    }
    double v;
    if (meter instanceof Counter c) {
      v = c.count();
    } else if (meter instanceof TimeGauge g) {
      v = g.value(TimeUnit.SECONDS);
    } else if (meter instanceof Gauge g) {
      v = g.value();
    } else {
      return null;
    }
    return v == 0 ? null : String.format(Locale.ROOT, "%,.0f", v);
  }
}
