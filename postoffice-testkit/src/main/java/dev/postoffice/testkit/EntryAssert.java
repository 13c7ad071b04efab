package dev.postoffice.testkit;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusStore;
import java.util.List;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions on an entry as the store holds it now: status, history, error, lineage.
 *
 * <pre>{@code
 * EntryAssert.assertThatEntry(store, receipt.entryId())
 *     .hasStatus(Status.PROCESSED)
 *     .hasHistory(Status.JUST_IN, Status.PROCESSED)
 *     .hasOutputs(2);
 * }</pre>
 */
public final class EntryAssert extends AbstractAssert<EntryAssert, Entry> {
  private final StatusStore store;

  private EntryAssert(StatusStore store, Entry actual) {
    super(actual, EntryAssert.class);
    this.store = store;
  }

  /**
   * Starts assertions on an entry.
   *
   * @param store the store
   * @param id the entry
   * @return the assertions
   * @throws AssertionError if the store has no such entry
   */
  public static EntryAssert assertThatEntry(StatusStore store, EntryId id) {
    Entry entry =
        store.find(id).orElseThrow(() -> new AssertionError("no entry " + id + " in the store"));
    return new EntryAssert(store, entry);
  }

  /**
   * Checks the status.
   *
   * @param expected the status
   * @return this
   */
  public EntryAssert hasStatus(Status expected) {
    isNotNull();
    if (actual.status() != expected) {
      failWithMessage(
          "expected entry %s (%s) to be %s but it is %s; last error: %s; history: %s",
          actual.id(), actual.layer(), expected, actual.status(), actual.lastError(), statuses());
    }
    return this;
  }

  /**
   * Checks the layer.
   *
   * @param expected the layer
   * @return this
   */
  public EntryAssert isInLayer(Layer expected) {
    Assertions.assertThat(actual.layer()).as("layer of entry %s", actual.id()).isEqualTo(expected);
    return this;
  }

  /**
   * Checks the whole history, in order.
   *
   * @param expected every status the entry went through, from creation
   * @return this
   */
  public EntryAssert hasHistory(Status... expected) {
    Assertions.assertThat(statuses())
        .as("history of entry %s", actual.id())
        .containsExactly(expected);
    return this;
  }

  /**
   * Checks the last error.
   *
   * @param fragment text the error contains
   * @return this
   */
  public EntryAssert hasErrorContaining(String fragment) {
    Assertions.assertThat(actual.lastError())
        .as("last error of entry %s", actual.id())
        .contains(fragment);
    return this;
  }

  /**
   * Checks how many outputs the entry has (superseded ones included).
   *
   * @param count the number
   * @return this
   */
  public EntryAssert hasOutputs(int count) {
    Assertions.assertThat(store.findBySource(actual.id()))
        .as("outputs of entry %s", actual.id())
        .hasSize(count);
    return this;
  }

  /**
   * Checks the stage and version that produced the entry, such as {@code "translate@2"}.
   *
   * @param expected the producer
   * @return this
   */
  public EntryAssert wasProducedBy(String expected) {
    Assertions.assertThat(actual.producedBy())
        .as("producer of entry %s", actual.id())
        .isEqualTo(expected);
    return this;
  }

  /**
   * Checks the dedup key.
   *
   * @param expected the key
   * @return this
   */
  public EntryAssert hasDedupKey(String expected) {
    Assertions.assertThat(actual.dedupKey())
        .as("dedup key of entry %s", actual.id())
        .isEqualTo(expected);
    return this;
  }

  /**
   * Checks that a retrying entry is not due before a time.
   *
   * @param instant the time
   * @return this
   */
  public EntryAssert isNotDueBefore(java.time.Instant instant) {
    Assertions.assertThat(actual.nextAttemptAt())
        .as("next attempt of entry %s", actual.id())
        .isNotNull()
        .isAfterOrEqualTo(instant);
    return this;
  }

  /**
   * Returns the entry's descendants in a layer (its outputs, their outputs, ...), breadth first,
   * for further assertions.
   *
   * @param layer the layer
   * @return the entries, without payloads
   */
  public List<Entry> descendantsIn(Layer layer) {
    List<Entry> found = new java.util.ArrayList<>();
    java.util.ArrayDeque<Entry> frontier = new java.util.ArrayDeque<>(List.of(actual));
    while (!frontier.isEmpty()) {
      for (Entry child : store.findBySource(frontier.poll().id())) {
        frontier.add(child);
        if (child.layer() == layer) {
          found.add(child);
        }
      }
    }
    return found;
  }

  private List<Status> statuses() {
    return store.history(actual.id()).stream().map(HistoryRecord::to).toList();
  }
}
