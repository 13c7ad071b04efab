package dev.postoffice.rabbit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The delivery counter")
class DeliveryCounterTest {
  private final DeliveryCounter counter = new DeliveryCounter();

  @Test
  @DisplayName(
      "counts a first delivery 1, and a redelivery it did not cause at least 2 (classic) or as the broker"
          + " says (quorum)")
  void unknown() {
    assertThat(counter.count("m", -1, false)).isEqualTo(1);
    assertThat(counter.count("m", -1, true)).isEqualTo(2);
    assertThat(counter.count("m", 4, true)).isEqualTo(5);
  }

  @Test
  @DisplayName("counts each requeue, and no release, whatever the broker's own count says")
  void releasesDoNotCount() {
    counter.released("m", counter.count("m", -1, false));
    counter.released("m", counter.count("m", 0, true));
    assertThat(counter.count("m", 2, true)).as("after two releases").isEqualTo(1);
    counter.requeued("m", counter.count("m", 2, true));
    counter.released("m", counter.count("m", 3, true));
    assertThat(counter.count("m", 4, true)).as("after a requeue and a release").isEqualTo(2);
  }

  @Test
  @DisplayName("forgets a message once it is settled")
  void settled() {
    counter.requeued("m", 1);
    counter.settled("m");
    assertThat(counter.count("m", -1, true)).isEqualTo(2);
  }
}
