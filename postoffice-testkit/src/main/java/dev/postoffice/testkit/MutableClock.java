package dev.postoffice.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link Clock} that stands still until a test moves it, so retry schedules, lease expiry and
 * timeouts can be tested without sleeping. Clocks made by {@link #withZone(ZoneId)} share the same
 * time.
 *
 * <p>Thread-safe: the engine's threads may read it while the test moves it.
 *
 * <p>Give the same clock to everything that reads time: the pipeline ({@code
 * PostOffice.builder().clock(..)}) and, if the test runs one, the {@code CoreAppReceiver} ({@code
 * .clock(..)}).
 *
 * <pre>{@code
 * MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
 * Pipeline pipeline = PostOffice.builder().clock(clock)...build();
 * clock.advance(Duration.ofMinutes(5)); // the retry is due now
 * }</pre>
 */
public final class MutableClock extends Clock {
  private final AtomicReference<Instant> now;
  private final ZoneId zone;

  private MutableClock(AtomicReference<Instant> now, ZoneId zone) {
    this.now = now;
    this.zone = zone;
  }

  /**
   * Returns a clock standing at an instant, in UTC.
   *
   * @param instant the start time
   * @return the clock
   * @throws NullPointerException if instant is null
   */
  public static MutableClock at(Instant instant) {
    Objects.requireNonNull(instant, "instant cannot be null");
    return new MutableClock(new AtomicReference<>(instant), ZoneOffset.UTC);
  }

  /**
   * Moves the clock forward.
   *
   * @param duration how far; not negative
   * @return the new time
   * @throws IllegalArgumentException if duration is negative
   */
  public Instant advance(Duration duration) {
    Objects.requireNonNull(duration, "duration cannot be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException(
          "duration must not be negative, but was "
              + duration
              + " [Hint: use set(Instant) to move the clock back]");
    }
    return now.updateAndGet(t -> t.plus(duration));
  }

  /**
   * Sets the clock to an instant, forward or back.
   *
   * @param instant the new time
   * @throws NullPointerException if instant is null
   */
  public void set(Instant instant) {
    now.set(Objects.requireNonNull(instant, "instant cannot be null"));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  /** Returns a clock in another zone sharing this clock's time: moving one moves both. */
  @Override
  public Clock withZone(ZoneId newZone) {
    return new MutableClock(now, Objects.requireNonNull(newZone, "zone cannot be null"));
  }

  @Override
  public String toString() {
    return "MutableClock[" + now.get() + ", " + zone + "]";
  }
}
