package dev.postoffice.spi;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

/**
 * The position of an entry in the order of {@link EntrySearch} ({@code createdAt} descending, then
 * id descending), and its text form, the cursor of {@link EntryPage#next()}. The stores of this
 * project encode their cursors with it; a store may use another form, since a cursor is opaque to
 * its callers.
 *
 * @param createdAt the entry's creation time
 * @param id the entry's id
 */
public record EntryCursor(Instant createdAt, EntryId id) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   */
  public EntryCursor {
    Objects.requireNonNull(createdAt, "createdAt cannot be null");
    Objects.requireNonNull(id, "id cannot be null");
  }

  /**
   * Returns the position of an entry.
   *
   * @param e the entry
   * @return its position
   */
  public static EntryCursor of(Entry e) {
    return new EntryCursor(e.createdAt(), e.id());
  }

  /**
   * Returns the cursor text: URL-safe, with no characters a query string must escape.
   *
   * @return the text
   */
  public String encode() {
    String plain = createdAt.getEpochSecond() + "." + createdAt.getNano() + "." + id.value();
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a cursor text written by {@link #encode()}.
   *
   * @param cursor the text
   * @return the position
   * @throws IllegalArgumentException if the text is not such a cursor
   */
  public static EntryCursor decode(String cursor) {
    Objects.requireNonNull(cursor, "cursor cannot be null");
    try {
      String plain = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int first = plain.indexOf('.');
      int second = plain.indexOf('.', first + 1);
      long seconds = Long.parseLong(plain.substring(0, first));
      int nanos = Integer.parseInt(plain.substring(first + 1, second));
      return new EntryCursor(
          Instant.ofEpochSecond(seconds, nanos), EntryId.of(plain.substring(second + 1)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "cursor must be the next cursor of a search page, but was '" + cursor + "'", e);
    }
  }

  /**
   * Tells whether an entry comes after this position in the search order (is older, or as old with
   * a smaller id).
   *
   * @param e the entry
   * @return true if it belongs to a later page
   */
  public boolean precedes(Entry e) {
    int c = e.createdAt().compareTo(createdAt);
    return c < 0 || (c == 0 && e.id().value().compareTo(id.value()) < 0);
  }
}
