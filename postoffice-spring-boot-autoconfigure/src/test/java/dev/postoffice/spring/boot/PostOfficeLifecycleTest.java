package dev.postoffice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("PostOfficeLifecycle")
class PostOfficeLifecycleTest {
  private final Pipeline pipeline =
      PostOffice.builder()
          .nodeId("node-1")
          .store(InMemoryStatusStore.create())
          .transport(InMemoryTransport.create())
          .route(ShopRoutes.orders(ShopRoutes.QUEUE))
          .build();
  private final PostOfficeLifecycle lifecycle =
      new PostOfficeLifecycle(pipeline, Duration.ofSeconds(5), true);

  @Test
  @DisplayName("starts once, stops once, and refuses to start a stopped pipeline again")
  void startStop() {
    lifecycle.start();
    lifecycle.start();
    assertThat(lifecycle.isRunning()).isTrue();

    lifecycle.stop();
    lifecycle.stop();
    assertThat(lifecycle.isRunning()).isFalse();
    assertThatThrownBy(lifecycle::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node-1 was stopped and cannot be started again");
  }

  @Test
  @DisplayName("runs before the web server and stops after it, and is not paused")
  void phase() {
    assertThat(lifecycle.getPhase()).isLessThan(Integer.MAX_VALUE - 2048);
    assertThat(lifecycle.isPauseable()).isFalse();
    assertThat(lifecycle.isAutoStartup()).isTrue();
  }
}
