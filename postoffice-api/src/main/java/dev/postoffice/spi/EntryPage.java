package dev.postoffice.spi;

import dev.postoffice.model.Entry;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of an {@link EntrySearch}: entries newest first (by {@code createdAt}, then id, both
 * descending), without payloads.
 *
 * @param entries the entries of the page
 * @param next the cursor of the next page ({@link EntrySearch#withAfter(String)}); empty when this
 *     is the last page
 */
public record EntryPage(List<Entry> entries, Optional<String> next) {
  /**
   * Checks and copies the arguments.
   *
   * @throws NullPointerException if an argument is null
   */
  public EntryPage {
    entries = List.copyOf(Objects.requireNonNull(entries, "entries cannot be null"));
    Objects.requireNonNull(next, "next cannot be null");
  }

  /**
   * Returns a page with more after it, or the last page.
   *
   * @param entries the entries
   * @param next the next page's cursor, or null for the last page
   * @return the page
   */
  public static EntryPage of(List<Entry> entries, String next) {
    return new EntryPage(entries, Optional.ofNullable(next));
  }
}
