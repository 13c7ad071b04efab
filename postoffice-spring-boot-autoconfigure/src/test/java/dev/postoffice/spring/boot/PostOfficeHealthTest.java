package dev.postoffice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.Route;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.ForwardingStatusStore;
import dev.postoffice.testkit.ForwardingTransport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@DisplayName("PostOfficeHealthIndicator")
class PostOfficeHealthTest {
  private final AtomicBoolean storeDown = new AtomicBoolean();
  private final AtomicBoolean transportDown = new AtomicBoolean();

  // Manual scheduling: nothing is worked on, so what is submitted stays in the backlog.
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  PostOfficeAutoConfiguration.class, PostOfficeHealthAutoConfiguration.class))
          .withClassLoader(new FilteredClassLoader("org.springframework.amqp"))
          .withBean(Route.class, () -> ShopRoutes.orders(ShopRoutes.QUEUE))
          .withBean(
              PipelineBuilderCustomizer.class,
              () -> dev.postoffice.core.PipelineBuilder::manualScheduling)
          .withBean(StatusStore.class, () -> new FailingStore(storeDown))
          .withBean(Transport.class, () -> new FailingTransport(transportDown));

  @Test
  @DisplayName("is UP with each route's backlog and oldest waiting age")
  void up() {
    runner.run(
        context -> {
          Pipeline pipeline = context.getBean(Pipeline.class);
          pipeline.intake(ShopRoutes.ROUTE).submit(ShopRoutes.order("a", "d-1"));
          pipeline.intake(ShopRoutes.ROUTE).submit(ShopRoutes.order("b", "d-2"));

          Health health = context.getBean(PostOfficeHealthIndicator.class).health();

          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails())
              .containsEntry("store", "UP")
              .containsEntry("transport", "UP")
              .containsEntry("nodeId", pipeline.nodeId());
          Map<?, ?> route = (Map<?, ?>) routes(health).get(ShopRoutes.ROUTE);
          assertThat(route.get("backlog")).isEqualTo(2L);
          assertThat(Duration.parse((String) route.get("oldestWaiting")).isNegative()).isFalse();
        });
  }

  @Test
  @DisplayName("reports a route with nothing waiting as a zero backlog")
  void empty() {
    runner.run(
        context -> {
          Health health = context.getBean(PostOfficeHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat((Map<?, ?>) routes(health).get(ShopRoutes.ROUTE))
              .isEqualTo(Map.of("backlog", 0L, "oldestWaiting", "PT0S"));
        });
  }

  @Test
  @DisplayName("is DOWN when the store does not answer")
  void storeDown() {
    runner.run(
        context -> {
          storeDown.set(true);
          Health health = context.getBean(PostOfficeHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat((String) health.getDetails().get("store"))
              .startsWith("DOWN")
              .contains("database gone");
          assertThat(health.getDetails()).containsEntry("transport", "UP");
        });
  }

  @Test
  @DisplayName("is DOWN when the transport does not answer")
  void transportDown() {
    runner.run(
        context -> {
          transportDown.set(true);
          Health health = context.getBean(PostOfficeHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.DOWN);
          assertThat((String) health.getDetails().get("transport"))
              .startsWith("DOWN")
              .contains("broker gone");
          assertThat(health.getDetails()).containsEntry("store", "UP");
        });
  }

  @Test
  @DisplayName("is off with management.health.postoffice.enabled=false")
  void disabled() {
    runner
        .withPropertyValues("management.health.postoffice.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(PostOfficeHealthIndicator.class));
  }

  @Test
  @DisplayName("is absent without Spring Boot's health support on the class path")
  void withoutActuator() {
    runner
        .withClassLoader(
            new FilteredClassLoader(
                HealthIndicator.class.getPackageName(), "org.springframework.amqp"))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Pipeline.class)
                    .doesNotHaveBean(PostOfficeHealthIndicator.class));
  }

  private static Map<?, ?> routes(Health health) {
    return (Map<?, ?>) health.getDetails().get("routes");
  }

  private static final class FailingStore extends ForwardingStatusStore {
    private final AtomicBoolean down;

    FailingStore(AtomicBoolean down) {
      super(InMemoryStatusStore.create());
      this.down = down;
    }

    @Override
    public List<StatusCount> countByStatus() {
      if (down.get()) {
        throw new StoreUnavailableException("database gone", null);
      }
      return super.countByStatus();
    }
  }

  private static final class FailingTransport extends ForwardingTransport {
    private final AtomicBoolean down;

    FailingTransport(AtomicBoolean down) {
      super(InMemoryTransport.create());
      this.down = down;
    }

    @Override
    public void declare(String destination) {
      if (down.get()) {
        throw new IllegalStateException("broker gone");
      }
      super.declare(destination);
    }
  }
}
