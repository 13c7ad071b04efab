package dev.postoffice.testkit.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.testkit.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("TestPostOffice.close()")
class TestPostOfficeCloseTest {
  private final TestPostOffice po =
      new TestPostOffice(MutableClock.at(Instant.parse("2030-01-01T00:00:00Z")), null);

  @Test
  @DisplayName("closes what the test registered, last first, before the pipeline")
  void order() {
    po.start(Shop.orders());
    List<String> closed = new ArrayList<>();
    po.closeAfterTest(() -> closed.add("receiver"));
    po.closeAfterTest(() -> closed.add("sender"));

    po.close();

    assertThat(closed).containsExactly("sender", "receiver");
  }

  @Test
  @DisplayName("closes the rest when one fails, then throws that failure")
  void failure() {
    po.start(Shop.orders());
    List<String> closed = new ArrayList<>();
    po.closeAfterTest(() -> closed.add("first registered"));
    po.closeAfterTest(
        () -> {
          throw new IllegalStateException("receiver would not stop");
        });

    assertThatThrownBy(po::close).hasMessage("receiver would not stop");
    assertThat(closed).containsExactly("first registered");
  }

  @Test
  @DisplayName("refuses a second start, pointing to restart")
  void secondStart() {
    po.start(Shop.orders());

    assertThatThrownBy(() -> po.start(Shop.orders()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("restart(...)");
    po.close();
  }
}
