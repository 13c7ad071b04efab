package dev.postoffice.spi;

import dev.postoffice.model.Direction;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Selects entries for an operator's listing, newest first, one page at a time: {@link
 * StatusStore#search} returns entries ordered by {@code createdAt} descending, then id descending,
 * and pages with a keyset cursor ({@link #after}), never an offset. A page therefore stays the same
 * while new entries arrive: they sort before the first page, not into the page being read.
 *
 * <p>Unset criteria (null, or an empty set) match everything. Build one with {@link #builder()};
 * {@link #withAfter(String)} gives the next page's search.
 *
 * @param route only this route, or null for all
 * @param direction only this direction, or null for both
 * @param layer only this layer, or null for all
 * @param statuses only these statuses; empty for all
 * @param createdFrom only entries created at or after this time (inclusive), or null
 * @param createdTo only entries created strictly before this time (exclusive), or null
 * @param errorContains only entries whose last error contains this text, ignoring case; null for
 *     any entry (with or without an error)
 * @param after the cursor of the page to read: {@link EntryPage#next()} of the previous page; null
 *     for the first page. Opaque: only a cursor the same store returned is valid.
 * @param limit the most entries on a page, 1 to {@value #MAX_LIMIT}
 */
public record EntrySearch(
    RouteId route,
    Direction direction,
    Layer layer,
    Set<Status> statuses,
    Instant createdFrom,
    Instant createdTo,
    String errorContains,
    String after,
    int limit) {
  /** The largest page. */
  public static final int MAX_LIMIT = 500;

  /** The page size of a search built without one. */
  public static final int DEFAULT_LIMIT = 50;

  /**
   * Checks and copies the arguments.
   *
   * @throws IllegalArgumentException if limit is not between 1 and {@value #MAX_LIMIT}, if
   *     createdFrom is not before createdTo, or if errorContains or after is blank
   */
  public EntrySearch {
    statuses =
        statuses == null || statuses.isEmpty()
            ? Set.of()
            : Set.copyOf(EnumSet.copyOf(Objects.requireNonNull(statuses)));
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "limit must be between 1 and " + MAX_LIMIT + ", but was " + limit);
    }
    if (createdFrom != null && createdTo != null && !createdFrom.isBefore(createdTo)) {
      throw new IllegalArgumentException(
          "createdFrom must be before createdTo, but was "
              + createdFrom
              + " (createdTo "
              + createdTo
              + ")");
    }
    if (errorContains != null && errorContains.isBlank()) {
      throw new IllegalArgumentException(
          "errorContains must be null or non-blank, but was '" + errorContains + "'");
    }
    if (after != null && after.isBlank()) {
      throw new IllegalArgumentException("after must be null or a cursor, but was blank");
    }
  }

  /**
   * Returns a builder with no criteria, for the first page of {@value #DEFAULT_LIMIT} entries.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the same search for the page after a cursor.
   *
   * @param cursor {@link EntryPage#next()} of the previous page; null for the first page
   * @return the search for that page
   */
  public EntrySearch withAfter(String cursor) {
    return new EntrySearch(
        route, direction, layer, statuses, createdFrom, createdTo, errorContains, cursor, limit);
  }

  /**
   * Returns the same search with another page size.
   *
   * @param pageSize the most entries on a page, 1 to {@value #MAX_LIMIT}
   * @return the search
   */
  public EntrySearch withLimit(int pageSize) {
    return new EntrySearch(
        route, direction, layer, statuses, createdFrom, createdTo, errorContains, after, pageSize);
  }

  /**
   * Returns only the criteria: no cursor and the default page size. Two searches that select the
   * same entries have equal filters; a replay job is identified by its filter.
   *
   * @return the filter
   */
  public EntrySearch filter() {
    return new EntrySearch(
        route,
        direction,
        layer,
        statuses,
        createdFrom,
        createdTo,
        errorContains,
        null,
        DEFAULT_LIMIT);
  }

  /**
   * Tells whether an entry meets the criteria (not the cursor): the reference for stores that
   * filter in memory.
   *
   * @param e the entry
   * @return true if it matches
   */
  public boolean matches(dev.postoffice.model.Entry e) {
    return (route == null || route.equals(e.route()))
        && (direction == null || direction == e.direction())
        && (layer == null || layer == e.layer())
        && (statuses.isEmpty() || statuses.contains(e.status()))
        && (createdFrom == null || !e.createdAt().isBefore(createdFrom))
        && (createdTo == null || e.createdAt().isBefore(createdTo))
        && (errorContains == null
            || (e.lastError() != null
                && e.lastError()
                    .toLowerCase(Locale.ROOT)
                    .contains(errorContains.toLowerCase(Locale.ROOT))));
  }

  /** Builds an {@link EntrySearch}; not thread-safe. Every criterion starts unset. */
  public static final class Builder {
    private RouteId route;
    private Direction direction;
    private Layer layer;
    private Set<Status> statuses = Set.of();
    private Instant createdFrom;
    private Instant createdTo;
    private String errorContains;
    private String after;
    private int limit = DEFAULT_LIMIT;

    private Builder() {}

    /**
     * Selects one route. Defaults to all routes.
     *
     * @param v the route, or null for all
     * @return this builder
     */
    public Builder route(RouteId v) {
      route = v;
      return this;
    }

    /**
     * Selects one direction. Defaults to both.
     *
     * @param v the direction, or null for both
     * @return this builder
     */
    public Builder direction(Direction v) {
      direction = v;
      return this;
    }

    /**
     * Selects one layer. Defaults to all.
     *
     * @param v the layer, or null for all
     * @return this builder
     */
    public Builder layer(Layer v) {
      layer = v;
      return this;
    }

    /**
     * Selects statuses. Defaults to all.
     *
     * @param v the statuses; empty or null for all
     * @return this builder
     */
    public Builder statuses(Set<Status> v) {
      statuses = v;
      return this;
    }

    /**
     * Selects statuses. Defaults to all.
     *
     * @param v the statuses; none for all
     * @return this builder
     */
    public Builder statuses(Status... v) {
      statuses = Set.of(v);
      return this;
    }

    /**
     * Selects entries created at or after a time. Defaults to no lower bound.
     *
     * @param v the time (inclusive), or null
     * @return this builder
     */
    public Builder createdFrom(Instant v) {
      createdFrom = v;
      return this;
    }

    /**
     * Selects entries created strictly before a time. Defaults to no upper bound.
     *
     * @param v the time (exclusive), or null
     * @return this builder
     */
    public Builder createdTo(Instant v) {
      createdTo = v;
      return this;
    }

    /**
     * Selects entries whose last error contains a text, ignoring case. Defaults to any entry.
     *
     * @param v the text, or null
     * @return this builder
     */
    public Builder errorContains(String v) {
      errorContains = v;
      return this;
    }

    /**
     * Sets the cursor of the page to read. Defaults to the first page.
     *
     * @param v {@link EntryPage#next()} of the previous page, or null
     * @return this builder
     */
    public Builder after(String v) {
      after = v;
      return this;
    }

    /**
     * Sets the page size. Defaults to {@value EntrySearch#DEFAULT_LIMIT}.
     *
     * @param v 1 to {@value EntrySearch#MAX_LIMIT}
     * @return this builder
     */
    public Builder limit(int v) {
      limit = v;
      return this;
    }

    /**
     * Builds the search.
     *
     * @return the search
     * @throws IllegalArgumentException as the record's constructor
     */
    public EntrySearch build() {
      return new EntrySearch(
          route, direction, layer, statuses, createdFrom, createdTo, errorContains, after, limit);
    }
  }
}
