package dev.postoffice.core.operator;

import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Renders entry counts as a table: one row per route and layer, one column per status that occurs.
 */
public final class StatusTable {
  private StatusTable() {}

  /**
   * Renders counts.
   *
   * @param counts counts per route, layer and status
   * @return the table, one line per route and layer
   */
  public static String render(List<StatusCount> counts) {
    Map<String, Map<Status, Long>> rows = new TreeMap<>();
    Map<Status, Boolean> used = new EnumMap<>(Status.class);
    for (StatusCount c : counts) {
      rows.computeIfAbsent(key(c.route(), c.layer()), k -> new EnumMap<>(Status.class))
          .merge(c.status(), c.count(), Long::sum);
      used.put(c.status(), true);
    }
    StringBuilder out = new StringBuilder(String.format("%-28s", "route / layer"));
    for (Status s : used.keySet()) {
      out.append(String.format("%14s", s.displayName()));
    }
    out.append('\n');
    rows.forEach(
        (row, byStatus) -> {
          out.append(String.format("%-28s", row));
          for (Status s : used.keySet()) {
            out.append(
                String.format("%14s", byStatus.getOrDefault(s, 0L) == 0 ? "-" : byStatus.get(s)));
          }
          out.append('\n');
        });
    return out.toString();
  }

  private static String key(RouteId route, Layer layer) {
    return route.value() + " " + layer;
  }
}
