package dev.postoffice.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("TraceId.createdAt")
class TraceIdCreatedAtTest {
  /** 0x0190a4f27c3e milliseconds since the epoch. */
  private static final Instant MADE = Instant.ofEpochMilli(0x0190a4f27c3eL);

  @Nested
  @DisplayName("reads the time of a time-ordered id")
  class TimeOrdered {
    @Test
    @DisplayName("from the UUID form with dashes")
    void dashed() {
      assertThat(TraceId.of("0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9f00").createdAt()).contains(MADE);
    }

    @Test
    @DisplayName("from the W3C form, 32 lowercase hex digits with the same bits")
    void w3c() {
      assertThat(TraceId.of("0190a4f27c3e7a118e2f5b6c7d8e9f00").createdAt()).contains(MADE);
    }

    @Test
    @DisplayName("from an id PostOffice makes now, within the clock's reach")
    void random() {
      Instant before = Instant.now().minusMillis(1);
      Instant made = TraceId.random().createdAt().orElseThrow();
      assertThat(made).isBetween(before, Instant.now().plus(Duration.ofMillis(1)));
    }
  }

  @Nested
  @DisplayName("is empty for an id in another layout")
  class Others {
    @Test
    @DisplayName("a random (version 4) UUID")
    void version4() {
      assertThat(TraceId.of("0190a4f2-7c3e-4a11-8e2f-5b6c7d8e9f00").createdAt()).isEmpty();
    }

    @Test
    @DisplayName("a version 7 nibble with the wrong variant")
    void wrongVariant() {
      assertThat(TraceId.of("0190a4f27c3e7a110e2f5b6c7d8e9f00").createdAt()).isEmpty();
    }

    @Test
    @DisplayName("a partner's own trace id, or hex of the wrong length or case")
    void notAnId() {
      assertThat(TraceId.of("order-4711").createdAt()).isEmpty();
      assertThat(TraceId.of("0190A4F27C3E7A118E2F5B6C7D8E9F00").createdAt()).isEmpty();
      assertThat(TraceId.of("0190a4f27c3e7a118e2f5b6c7d8e9f0").createdAt()).isEmpty();
      assertThat(TraceId.of("0190a4f2x7c3e-7a11-8e2f-5b6c7d8e9f00").createdAt()).isEmpty();
      assertThat(TraceId.of("0190a4f2-7c3e-7a11-8e2f-5b6c7d8e9fzz").createdAt()).isEmpty();
    }
  }
}
