package dev.postoffice.spi;

import dev.postoffice.model.RouteId;
import java.util.Objects;

/**
 * A compare-and-set of a polling cursor, committed by {@link StatusStore#intake(java.util.List,
 * CursorUpdate, java.time.Instant)} in the same transaction as the page's entries, so a restart
 * neither skips nor repeats a page.
 *
 * @param route the route whose cursor it is
 * @param name the cursor's name within the route (most routes have one, {@code "default"})
 * @param expected the value the cursor must still have, or null if it must not exist yet
 * @param next the new value
 */
public record CursorUpdate(RouteId route, String name, String expected, String next) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if route, name or next is null
   */
  public CursorUpdate {
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(name, "name cannot be null");
    Objects.requireNonNull(next, "next cannot be null");
  }
}
