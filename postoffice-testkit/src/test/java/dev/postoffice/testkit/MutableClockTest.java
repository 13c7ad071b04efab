package dev.postoffice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MutableClockTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  @DisplayName("stands still until moved, in UTC")
  void standsStill() {
    MutableClock clock = MutableClock.at(T0);
    assertThat(clock.instant()).isEqualTo(T0);
    assertThat(clock.millis()).isEqualTo(T0.toEpochMilli());
    assertThat(clock.getZone()).isEqualTo(ZoneOffset.UTC);
  }

  @Test
  @DisplayName("advances forward and can be set to any instant")
  void moves() {
    MutableClock clock = MutableClock.at(T0);
    assertThat(clock.advance(Duration.ofMinutes(5))).isEqualTo(T0.plusSeconds(300));
    clock.set(T0.minusSeconds(1));
    assertThat(clock.instant()).isEqualTo(T0.minusSeconds(1));
  }

  @Test
  @DisplayName("refuses to advance backwards, pointing to set")
  void noNegativeAdvance() {
    assertThatThrownBy(() -> MutableClock.at(T0).advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("duration must not be negative, but was PT-1S");
  }

  @Test
  @DisplayName("shares its time with the clocks made by withZone")
  void withZoneShares() {
    MutableClock clock = MutableClock.at(T0);
    Clock paris = clock.withZone(ZoneId.of("Europe/Paris"));
    clock.advance(Duration.ofHours(1));
    assertThat(paris.instant()).isEqualTo(T0.plusSeconds(3600));
    assertThat(paris.getZone()).isEqualTo(ZoneId.of("Europe/Paris"));
  }

  @Test
  @DisplayName("loses no advance made from several threads at once")
  void threadSafe() throws Exception {
    MutableClock clock = MutableClock.at(T0);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(
          new Thread(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  clock.advance(Duration.ofMillis(1));
                }
              }));
    }
    threads.forEach(Thread::start);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(clock.instant()).isEqualTo(T0.plusMillis(4000));
  }
}
