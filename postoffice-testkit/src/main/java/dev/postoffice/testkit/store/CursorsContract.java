package dev.postoffice.testkit.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.model.Status;
import dev.postoffice.spi.CursorUpdate;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StaleCursorException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.store.StatusStoreContract} group "polling
 * cursors". Polling cursors move with the page's entries in one call, and only from the value
 * expected.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class CursorsContract extends StoreContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected CursorsContract(StoreFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("are empty until set")
  void emptyUntilSet() {
    assertThat(store.cursor(route, "default")).isEmpty();
  }

  @Test
  @DisplayName("are set together with the page's entries when none was expected")
  void firstPage() {
    NewEntry n = root();
    List<IntakeResult> results =
        store.intake(List.of(n), new CursorUpdate(route, "default", null, "page-2"), now());
    assertThat(results).containsExactly(IntakeResult.stored(n.id()));
    assertThat(store.cursor(route, "default")).contains("page-2");
    assertThat(get(n.id()).status()).isEqualTo(Status.JUST_IN);
  }

  @Test
  @DisplayName("move when they still have the expected value")
  void compareAndSet() {
    store.intake(List.of(), new CursorUpdate(route, "default", null, "1"), now());
    store.intake(List.of(root()), new CursorUpdate(route, "default", "1", "2"), now());
    assertThat(store.cursor(route, "default")).contains("2");
  }

  @Test
  @DisplayName("refuse a stale move with StaleCursorException and store nothing of the page")
  void stale() {
    store.intake(List.of(), new CursorUpdate(route, "default", null, "1"), now());
    store.intake(List.of(), new CursorUpdate(route, "default", "1", "2"), now());
    NewEntry n = root();

    assertThatThrownBy(
            () -> store.intake(List.of(n), new CursorUpdate(route, "default", "1", "3"), now()))
        .isInstanceOfSatisfying(
            StaleCursorException.class,
            e -> {
              assertThat(e.route()).isEqualTo(route);
              assertThat(e.cursorName()).isEqualTo("default");
            });
    assertThat(store.find(n.id())).isEmpty();
    assertThat(store.cursor(route, "default")).contains("2");
  }

  @Test
  @DisplayName("refuse a move that expects no cursor when one exists")
  void staleWhenExpectingNone() {
    store.intake(List.of(), new CursorUpdate(route, "default", null, "1"), now());
    assertThatThrownBy(
            () -> store.intake(List.of(), new CursorUpdate(route, "default", null, "9"), now()))
        .isInstanceOf(StaleCursorException.class);
    assertThat(store.cursor(route, "default")).contains("1");
  }

  @Test
  @DisplayName("move on an empty page")
  void emptyPage() {
    assertThat(store.intake(List.of(), new CursorUpdate(route, "default", null, "a"), now()))
        .isEmpty();
    assertThat(store.cursor(route, "default")).contains("a");
  }

  @Test
  @DisplayName("are separate per route and name")
  void isolated() {
    store.intake(List.of(), new CursorUpdate(route, "a", null, "1"), now());
    store.intake(List.of(), new CursorUpdate(route, "b", null, "2"), now());
    store.intake(List.of(), new CursorUpdate(otherRoute, "a", null, "3"), now());
    assertThat(store.cursor(route, "a")).contains("1");
    assertThat(store.cursor(route, "b")).contains("2");
    assertThat(store.cursor(otherRoute, "a")).contains("3");
  }

  @Test
  @DisplayName("deduplicate the page's entries like a plain intake")
  void dedupWithCursor() {
    NewEntry first = withDedup(root(), "k");
    intake(first);
    NewEntry second = withDedup(root(), "k");
    List<IntakeResult> results =
        store.intake(List.of(second), new CursorUpdate(route, "default", null, "x"), now());
    assertThat(results).containsExactly(IntakeResult.duplicate(second.id(), first.id()));
  }
}
