package dev.postoffice.model;

import java.util.Objects;

/**
 * The id of one entry. Root entries get a random id; outputs get an id derived from their source
 * entry, the source's replay generation and their index, so a stage that runs twice for the same
 * input (after a crash) produces the same ids and cannot duplicate its outputs.
 *
 * <p>Upstream, the id of the layer-4 entry is the message id the Core App sees: it is the
 * idempotency key.
 *
 * @param value the id, at most {@value #MAX_LENGTH} characters
 */
public record EntryId(String value) {
  /** The longest id accepted. */
  public static final int MAX_LENGTH = 64;

  /**
   * Checks the value.
   *
   * @throws NullPointerException if value is null
   * @throws IllegalArgumentException if value is blank or longer than {@value #MAX_LENGTH}
   */
  public EntryId {
    Objects.requireNonNull(value, "entryId cannot be null");
    if (value.isBlank() || value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "entryId must be 1 to " + MAX_LENGTH + " non-blank characters, but was '" + value + "'");
    }
  }

  /**
   * Returns an entry id for a string.
   *
   * @param value the id
   * @return the entry id
   */
  public static EntryId of(String value) {
    return new EntryId(value);
  }

  /**
   * Returns a new random id, for root entries: a time-ordered UUID (version 7 layout: 48 bits of
   * milliseconds, then random bits), so ids written close in time sit close together in database
   * indexes.
   *
   * @return a random entry id
   */
  public static EntryId random() {
    return new EntryId(TimeOrderedIds.next().toString());
  }

  /**
   * Returns the deterministic id of an output.
   *
   * @param source the entry the output comes from
   * @param generation the source's replay generation (0 until it is replayed)
   * @param index the output's position among the source's outputs, from 0
   * @return the same id for the same arguments, on any node
   */
  public static EntryId derive(EntryId source, int generation, int index) {
    Objects.requireNonNull(source, "source cannot be null");
    // The same as UUID.nameUUIDFromBytes (version 3, MD5) of "source/generation/index", on a
    // per-thread digest, keeping the source's time prefix where it has one so that outputs sit
    // beside their source in indexes: ids derived by earlier versions stay the same.
    return new EntryId(TimeOrderedIds.derived(source.value, generation, index).toString());
  }

  @Override
  public String toString() {
    return value;
  }
}
