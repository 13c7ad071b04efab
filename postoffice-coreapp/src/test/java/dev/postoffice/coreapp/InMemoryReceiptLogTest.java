package dev.postoffice.coreapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InMemoryReceiptLogTest {
  private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  @DisplayName("forgets the oldest ids first once full")
  void forgetsOldest() {
    InMemoryReceiptLog log = InMemoryReceiptLog.create(3);
    for (String id : new String[] {"a", "b", "c", "d"}) {
      log.markHandled("core", id, AT);
    }
    assertThat(log.size()).isEqualTo(3);
    assertThat(log.isHandled("core", "a")).isFalse();
    assertThat(log.isHandled("core", "b")).isTrue();
    assertThat(log.isHandled("core", "d")).isTrue();
  }

  @Test
  @DisplayName("marking an id again neither grows the log nor refreshes it")
  void markAgain() {
    InMemoryReceiptLog log = InMemoryReceiptLog.create(2);
    log.markHandled("core", "a", AT);
    log.markHandled("core", "b", AT);
    log.markHandled("core", "a", AT);
    log.markHandled("core", "c", AT);
    assertThat(log.size()).isEqualTo(2);
    assertThat(log.isHandled("core", "a")).isFalse();
  }

  @Test
  @DisplayName("keeps each consumer's ids apart, and forgets the oldest of all consumers first")
  void consumers() {
    InMemoryReceiptLog log = InMemoryReceiptLog.create(4);
    log.markHandled("core", "a", AT);
    log.markAllHandled("billing", java.util.List.of("a", "b"), AT);
    log.markHandled("core", "c", AT);
    assertThat(log.isHandled("core", "a")).isTrue();
    assertThat(log.isHandled("core", "b")).isFalse();
    assertThat(log.isHandled("billing", "a")).isTrue();
    assertThat(log.isHandled("billing", "c")).isFalse();
    assertThat(log.handledAmong("billing", java.util.List.of("a", "b", "c")))
        .containsExactlyInAnyOrder("a", "b");
    assertThat(log.handledAmong("core", java.util.List.of("a", "b", "c")))
        .containsExactlyInAnyOrder("a", "c");
    log.markHandled("billing", "c", AT); // the fifth id: core's "a" goes
    assertThat(log.size()).isEqualTo(4);
    assertThat(log.isHandled("core", "a")).isFalse();
    assertThat(log.isHandled("billing", "a")).isTrue();
    log.markHandled("core", "d", AT); // billing's "a" goes
    assertThat(log.isHandled("billing", "a")).isFalse();
    assertThat(log.isHandled("billing", "b")).isTrue();
  }

  @Test
  @DisplayName("has a documented default size and refuses sizes below 1")
  void limits() {
    assertThat(InMemoryReceiptLog.create().maxEntries())
        .isEqualTo(InMemoryReceiptLog.DEFAULT_MAX_ENTRIES);
    assertThatThrownBy(() -> InMemoryReceiptLog.create(0))
        .hasMessage("maxEntries must be >= 1, but was 0");
    assertThatThrownBy(() -> InMemoryReceiptLog.create().isHandled(null, "m"))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("consumer cannot be null");
  }
}
