package dev.postoffice.core.internal.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.core.internal.route.Entries;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.NewEntry;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A hand-off queue")
class HandOffQueueTest {
  private final HandOffQueue queue = new HandOffQueue(4);

  private static Entry entry() {
    NewEntry created =
        new NewEntry(
            EntryId.random(),
            RouteId.of("orders"),
            Direction.UPSTREAM,
            Layer.L1,
            Payload.of(new byte[] {1}, "application/octet-stream"),
            Map.of(),
            null,
            TraceId.random(),
            null,
            "test",
            null);
    return Entries.preClaimed(created, Instant.parse("2030-01-01T00:00:00Z"));
  }

  private void handOver(int count) {
    try (HandOffReservation room = queue.reserve(count)) {
      for (int i = 0; i < count; i++) {
        room.handOff(entry());
      }
    }
  }

  @Test
  @DisplayName("holds four batches, and at least 256 entries")
  void capacity() {
    assertThat(HandOffQueue.capacityFor(1)).isEqualTo(HandOffQueue.MIN_HAND_OFF);
    assertThat(HandOffQueue.capacityFor(100)).isEqualTo(400);
  }

  @Nested
  @DisplayName("gives back an entry's room when the entry is taken out")
  class Room {
    @Test
    @DisplayName("by take")
    void take() {
      handOver(3);
      try (HandOffReservation room = queue.reserve(2)) {
        assertThat(room.isHeld()).as("only one unit of room is left").isFalse();
      }
      List<Entry> taken = queue.take(2);
      assertThat(taken).hasSize(2);
      assertThat(queue.size()).isEqualTo(1);
      try (HandOffReservation room = queue.reserve(3)) {
        assertThat(room.isHeld()).isTrue();
      }
    }

    @Test
    @DisplayName("by await, which takes at most a batch")
    void await() throws InterruptedException {
      handOver(4);
      List<Entry> batch = queue.await(3, 1_000_000, 0);
      assertThat(batch).hasSize(3);
      assertThat(queue.size()).isEqualTo(1);
      try (HandOffReservation room = queue.reserve(3)) {
        assertThat(room.isHeld()).isTrue();
      }
    }
  }

  @Test
  @DisplayName("await returns an empty batch when nothing comes in time")
  void awaitEmpty() throws InterruptedException {
    assertThat(queue.await(3, 1_000_000, 0)).isEmpty();
    try (HandOffReservation room = queue.reserve(4)) {
      assertThat(room.isHeld()).isTrue();
    }
  }
}
