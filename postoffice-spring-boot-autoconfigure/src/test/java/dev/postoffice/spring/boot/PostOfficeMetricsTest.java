package dev.postoffice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postoffice.core.Pipeline;
import dev.postoffice.core.Route;
import dev.postoffice.micrometer.MeterNames;
import dev.postoffice.micrometer.PostOfficeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

@DisplayName("PostOfficeMetricsAutoConfiguration")
class PostOfficeMetricsTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  MetricsAutoConfiguration.class,
                  SimpleMetricsExportAutoConfiguration.class,
                  CompositeMeterRegistryAutoConfiguration.class,
                  PostOfficeAutoConfiguration.class,
                  PostOfficeMetricsAutoConfiguration.class))
          .withClassLoader(new FilteredClassLoader("org.springframework.amqp"))
          .withBean(Route.class, () -> ShopRoutes.orders(ShopRoutes.QUEUE));

  @Test
  @DisplayName("binds the pipeline's meters to the application's registry: events and store gauges")
  void bound() {
    runner.run(
        context -> {
          assertThat(context).hasSingleBean(PostOfficeMetrics.class);
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          context
              .getBean(Pipeline.class)
              .intake(ShopRoutes.ROUTE)
              .submit(ShopRoutes.order("o-1", "d-1"));

          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () ->
                      registry
                              .find(MeterNames.ENTRIES)
                              .tag(MeterNames.TAG_ROUTE, ShopRoutes.ROUTE)
                              .counters()
                              .stream()
                              .mapToDouble(Counter::count)
                              .sum()
                          > 0);
          assertThat(
                  registry
                      .find(MeterNames.BACKLOG)
                      .tag(MeterNames.TAG_ROUTE, ShopRoutes.ROUTE)
                      .gauges())
              .as("store gauges, registered once the pipeline is attached")
              .isNotEmpty();
        });
  }

  @Test
  @DisplayName("backs off for the application's own PostOfficeMetrics")
  void ownBinder() {
    PostOfficeMetrics own = PostOfficeMetrics.builder().storeGauges(false).build();
    runner
        .withBean("myMetrics", PostOfficeMetrics.class, () -> own)
        .run(
            context -> {
              assertThat(context.getBean(PostOfficeMetrics.class)).isSameAs(own);
              assertThat(context.getBean(MeterRegistry.class).find(MeterNames.BACKLOG).gauges())
                  .isEmpty();
            });
  }

  @Test
  @DisplayName("is absent without postoffice-micrometer, and the pipeline runs without it")
  void withoutTheModule() {
    runner
        .withClassLoader(
            new FilteredClassLoader("dev.postoffice.micrometer", "org.springframework.amqp"))
        .run(
            context ->
                assertThat(context)
                    .hasSingleBean(Pipeline.class)
                    .doesNotHaveBean(PostOfficeMetrics.class));
  }
}
