package dev.postoffice.testkit.junit;

import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.EntryAssert;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.assertj.core.api.AbstractAssert;

/**
 * Assertions on a set of entries, such as a route's entries in one layer. A failure names the set,
 * and each entry that does not match with its status, last error and history, so the test's output
 * says what happened without a debugger.
 */
public final class EntriesAssert extends AbstractAssert<EntriesAssert, List<Entry>> {
  private final StatusStore store;
  private final String description;

  EntriesAssert(List<Entry> actual, StatusStore store, String description) {
    super(List.copyOf(actual), EntriesAssert.class);
    this.store = store;
    this.description = description;
  }

  /**
   * Checks how many entries there are.
   *
   * @param expected the number
   * @return this
   */
  public EntriesAssert hasSize(int expected) {
    if (actual.size() != expected) {
      failWithMessage(
          "expected %d %s but found %d: %s",
          expected, description, actual.size(), describe(actual));
    }
    return this;
  }

  /**
   * Checks that there is none.
   *
   * @return this
   */
  public EntriesAssert isEmpty() {
    return hasSize(0);
  }

  /**
   * Checks that there is at least one entry and every one has a status.
   *
   * @param expected the status
   * @return this
   */
  public EntriesAssert hasStatus(Status expected) {
    if (actual.isEmpty()) {
      failWithMessage("expected %s to be %s but there are none", description, expected);
    }
    List<Entry> others = actual.stream().filter(e -> e.status() != expected).toList();
    if (!others.isEmpty()) {
      failWithMessage(
          "expected %s to be %s but %d of %d are not: %s",
          description, expected, others.size(), actual.size(), describe(others));
    }
    return this;
  }

  /**
   * Checks that there is at least one entry and each went through exactly these statuses.
   *
   * @param expected every status, from creation
   * @return this
   */
  public EntriesAssert haveHistory(Status... expected) {
    if (actual.isEmpty()) {
      failWithMessage("expected %s to have a history but there are none", description);
    }
    each(e -> e.hasHistory(expected));
    return this;
  }

  /**
   * Runs entry assertions on each entry.
   *
   * @param requirements the assertions, given each entry's {@link EntryAssert}
   * @return this
   */
  public EntriesAssert each(Consumer<EntryAssert> requirements) {
    for (Entry entry : actual) {
      requirements.accept(EntryAssert.assertThatEntry(store, entry.id()));
    }
    return this;
  }

  /**
   * Returns the entries, for assertions of your own.
   *
   * @return the entries, without payloads
   */
  public List<Entry> entries() {
    return actual;
  }

  private String describe(List<Entry> entries) {
    if (entries.isEmpty()) {
      return "none";
    }
    return entries.stream()
        .map(
            e ->
                "%n  entry %s %s%s, history %s"
                    .formatted(
                        e.id(),
                        e.status(),
                        e.lastError() == null ? "" : " (last error: " + e.lastError() + ")",
                        store.history(e.id()).stream().map(HistoryRecord::to).toList()))
        .collect(Collectors.joining());
  }
}
