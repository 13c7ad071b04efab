package dev.postoffice.core.internal.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A hand-off reservation")
class HandOffReservationTest {
  private static final int CAPACITY = 4;
  private final Semaphore room = new Semaphore(CAPACITY);
  private final Queue<Entry> queue = new LinkedBlockingQueue<>();

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

  @Nested
  @DisplayName("when closed")
  class Closing {
    @Test
    @DisplayName("gives back the room that was not handed over")
    void givesBackUnhandedRoom() {
      try (HandOffReservation reservation = HandOffReservation.tryReserve(room, queue, 3)) {
        assertThat(reservation.isHeld()).isTrue();
        assertThat(room.availablePermits()).isEqualTo(1);
        reservation.handOff(entry());
      }
      // The handed-over entry keeps its permit until the stage takes it out of the queue.
      assertThat(queue).hasSize(1);
      assertThat(room.availablePermits()).isEqualTo(CAPACITY - 1);
    }

    @Test
    @DisplayName("gives back nothing when everything was handed over")
    void givesBackNothingWhenAllHandedOver() {
      try (HandOffReservation reservation = HandOffReservation.tryReserve(room, queue, 2)) {
        reservation.handOff(entry());
        reservation.handOff(entry());
      }
      assertThat(queue).hasSize(2);
      assertThat(room.availablePermits()).isEqualTo(CAPACITY - 2);
    }

    @Test
    @DisplayName("gives back all the room when the block ends with an exception")
    void givesBackOnException() {
      assertThatThrownBy(
              () -> {
                try (HandOffReservation reservation =
                    HandOffReservation.tryReserve(room, queue, 3)) {
                  assertThat(reservation.isHeld()).isTrue();
                  throw new IllegalStateException("store down");
                }
              })
          .hasMessage("store down");
      assertThat(room.availablePermits()).isEqualTo(CAPACITY);
    }

    @Test
    @DisplayName("gives back the unhanded room when the block ends with an Error")
    void givesBackOnError() {
      assertThatThrownBy(
              () -> {
                try (HandOffReservation reservation =
                    HandOffReservation.tryReserve(room, queue, 3)) {
                  reservation.handOff(entry());
                  throw new OutOfMemoryError("simulated");
                }
              })
          .isInstanceOf(OutOfMemoryError.class);
      assertThat(room.availablePermits()).isEqualTo(CAPACITY - 1);
    }

    @Test
    @DisplayName("gives back its room only once, however often it is closed")
    void closeIsIdempotent() {
      HandOffReservation reservation = HandOffReservation.tryReserve(room, queue, 3);
      reservation.close();
      reservation.close();
      assertThat(room.availablePermits()).isEqualTo(CAPACITY);
    }
  }

  @Nested
  @DisplayName("never gives back more than it reserved")
  class Bounds {
    @Test
    @DisplayName("refuses to hand over more entries than it reserved")
    void refusesMoreThanReserved() {
      try (HandOffReservation reservation = HandOffReservation.tryReserve(room, queue, 1)) {
        reservation.handOff(entry());
        assertThatThrownBy(() -> reservation.handOff(entry()))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("1 of 1 reserved entries handed over");
      }
      assertThat(queue).hasSize(1);
      assertThat(room.availablePermits()).isEqualTo(CAPACITY - 1);
    }

    @Test
    @DisplayName("refuses to hand over once closed")
    void refusesAfterClose() {
      HandOffReservation reservation = HandOffReservation.tryReserve(room, queue, 2);
      reservation.close();
      assertThatThrownBy(() -> reservation.handOff(entry()))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("reservation closed");
      assertThat(queue).isEmpty();
      assertThat(room.availablePermits()).isEqualTo(CAPACITY);
    }

    @Test
    @DisplayName("holds nothing and gives back nothing when the queue has not enough room")
    void noRoom() {
      try (HandOffReservation reservation =
          HandOffReservation.tryReserve(room, queue, CAPACITY + 1)) {
        assertThat(reservation.isHeld()).isFalse();
        assertThatThrownBy(() -> reservation.handOff(entry()))
            .isInstanceOf(IllegalStateException.class);
      }
      assertThat(room.availablePermits()).isEqualTo(CAPACITY);
    }

    @Test
    @DisplayName("holds nothing for zero entries, and none() gives back nothing")
    void zeroAndNone() {
      HandOffReservation zero = HandOffReservation.tryReserve(room, queue, 0);
      assertThat(zero.isHeld()).isFalse();
      zero.close();
      HandOffReservation none = HandOffReservation.none();
      none.close();
      none.close();
      assertThat(none.isHeld()).isFalse();
      assertThat(room.availablePermits()).isEqualTo(CAPACITY);
    }

    @Test
    @DisplayName("rejects a negative count")
    void negativeCount() {
      assertThatThrownBy(() -> HandOffReservation.tryReserve(room, queue, -1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("count must be between 0 and 2147483647, but was -1");
      assertThat(room.availablePermits()).isEqualTo(CAPACITY);
    }
  }
}
