package dev.postoffice.core.dispatch.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.TransientFailureException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Partners (issue 16, defect 12)")
class PartnersTest {
  private final AtomicLong nanos = new AtomicLong();
  private final Partners partners =
      new Partners(
          p -> new PartnerLimits(p, 1, Duration.ZERO, 0, 1, Duration.ZERO, nanos::get),
          Duration.ofMinutes(1),
          nanos::get);

  private void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }

  @Test
  @DisplayName("drops a partner idle for the expiry, on the next sweep")
  void dropsIdle() {
    partners.acquire("http://a").close();
    partners.acquire("http://b").close();
    advance(Duration.ofSeconds(61));
    partners.acquire("http://c").close();
    assertThat(partners.size()).isEqualTo(1);
  }

  @Test
  @DisplayName("keeps a partner with a request in flight however long, and its limits with it")
  void keepsHeld() {
    Partners.Slot held = partners.acquire("http://a");
    advance(Duration.ofMinutes(5));
    partners.acquire("http://b").close();
    advance(Duration.ofMinutes(5));
    partners.acquire("http://b").close();
    assertThat(partners.size()).isEqualTo(2);
    // The same limits, not fresh ones: its only slot is still taken.
    assertThatThrownBy(() -> partners.acquire("http://a"))
        .isInstanceOf(TransientFailureException.class)
        .hasMessageContaining("maxConcurrentRequests");
    held.close();
    partners.acquire("http://a").close();
  }

  @Test
  @DisplayName("a refused request does not count as holding its partner")
  void refusedDoesNotHold() {
    Partners.Slot held = partners.acquire("http://a");
    assertThatThrownBy(() -> partners.acquire("http://a"))
        .isInstanceOf(TransientFailureException.class);
    held.close();
    advance(Duration.ofSeconds(61));
    partners.acquire("http://z").close();
    assertThat(partners.size()).isEqualTo(1);
  }
}
