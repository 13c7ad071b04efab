package dev.postoffice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.postoffice.ConfigurationException;
import dev.postoffice.Ingestor;
import dev.postoffice.Intake;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Transport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@DisplayName("PostOfficeAutoConfiguration")
class PostOfficeAutoConfigurationTest {
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(AutoConfigurations.of(PostOfficeAutoConfiguration.class))
          // No DataSource unless a test adds DataSourceAutoConfiguration; no broker ever.
          .withClassLoader(new FilteredClassLoader("org.springframework.amqp"));

  private static String h2Url() {
    return "spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
  }

  @Configuration(proxyBeanMethods = false)
  static class OrdersRoute {
    @Bean
    Route shopOrders() {
      return ShopRoutes.orders(ShopRoutes.QUEUE);
    }
  }

  @Nested
  @DisplayName("with nothing but a Route bean")
  class Defaults {
    @Test
    @DisplayName("runs the route on the in-memory store and transport, started with the context")
    void runsTheRoute() {
      runner
          .withUserConfiguration(OrdersRoute.class)
          .run(
              context -> {
                assertThat(context).hasSingleBean(Pipeline.class);
                assertThat(context.getBean(StatusStore.class))
                    .isInstanceOf(InMemoryStatusStore.class);
                Transport transport = context.getBean(Transport.class);
                assertThat(transport).isInstanceOf(InMemoryTransport.class);
                assertThat(context.getBean(PostOfficeLifecycle.class).isRunning()).isTrue();

                Pipeline pipeline = context.getBean(Pipeline.class);
                assertThat(pipeline.routes()).containsExactly(RouteId.of(ShopRoutes.ROUTE));
                BlockingQueue<String> core = ShopRoutes.watch(transport, ShopRoutes.QUEUE);
                pipeline.intake(ShopRoutes.ROUTE).submit(ShopRoutes.order("order-1", "d-1"));
                assertThat(ShopRoutes.next(core)).contains("ORDER-1");
              });
    }

    @Test
    @DisplayName("stops the pipeline gracefully when the context closes")
    void stopsWithTheContext() {
      PostOfficeLifecycle[] lifecycle = new PostOfficeLifecycle[1];
      runner
          .withUserConfiguration(OrdersRoute.class)
          .run(context -> lifecycle[0] = context.getBean(PostOfficeLifecycle.class));
      assertThat(lifecycle[0].isRunning()).isFalse();
    }

    @Test
    @DisplayName("binds the properties, with the builder's defaults when unset")
    void properties() {
      runner
          .withUserConfiguration(OrdersRoute.class)
          .run(
              context -> {
                PostOfficeProperties p = context.getBean(PostOfficeProperties.class);
                assertThat(p.getAckDestination())
                    .isEqualTo(PipelineBuilder.DEFAULT_ACK_DESTINATION);
                assertThat(p.getShutdownTimeout())
                    .isEqualTo(PipelineBuilder.DEFAULT_SHUTDOWN_TIMEOUT);
                assertThat(p.getStore().getTablePrefix()).isEqualTo("po_");
                assertThat(p.getStore().getStatementTimeout())
                    .isEqualTo(dev.postoffice.jdbc.JdbcStoreBuilder.DEFAULT_STATEMENT_TIMEOUT);
                assertThat(p.getTransport().getRabbit().getPrefetch())
                    .isEqualTo(dev.postoffice.rabbit.RabbitTransportSettings.DEFAULT_PREFETCH);
                assertThat(p.getTransport().getRabbit().getMaxDeliveries())
                    .isEqualTo(
                        dev.postoffice.rabbit.RabbitTransportSettings.DEFAULT_MAX_DELIVERIES);
                assertThat(p.getTransport().getRabbit().getConfirmTimeout())
                    .isEqualTo(
                        dev.postoffice.rabbit.RabbitTransportSettings.DEFAULT_CONFIRM_TIMEOUT);
              });
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withPropertyValues(
              "postoffice.node-id=node-a",
              "postoffice.shutdown-timeout=5s",
              "postoffice.auto-startup=false")
          .run(
              context -> {
                assertThat(context.getBean(Pipeline.class).nodeId()).isEqualTo("node-a");
                assertThat(context.getBean(PostOfficeProperties.class).getShutdownTimeout())
                    .isEqualTo(Duration.ofSeconds(5));
                assertThat(context.getBean(PostOfficeLifecycle.class).isRunning()).isFalse();
              });
    }

    @Test
    @DisplayName("builds nothing with postoffice.enabled=false")
    void disabled() {
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withPropertyValues("postoffice.enabled=false")
          .run(
              context ->
                  assertThat(context)
                      .doesNotHaveBean(Pipeline.class)
                      .doesNotHaveBean(StatusStore.class)
                      .doesNotHaveBean(Transport.class));
    }
  }

  @Nested
  @DisplayName("the store")
  class Store {
    private final ApplicationContextRunner withDataSource =
        runner
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
            .withUserConfiguration(OrdersRoute.class);

    @Test
    @DisplayName("is JDBC on the application's DataSource, its tables created with the prefix")
    void jdbc() {
      withDataSource
          .withPropertyValues(h2Url(), "postoffice.store.table-prefix=shop_")
          .withUserConfiguration(OrdersRoute.class)
          .run(
              context -> {
                JdbcStatusStore store = context.getBean(JdbcStatusStore.class);
                assertThat(store.tablePrefix()).isEqualTo("shop_");
                assertThat(tables(context.getBean(DataSource.class))).contains("SHOP_ENTRY");

                Pipeline pipeline = context.getBean(Pipeline.class);
                pipeline.intake(ShopRoutes.ROUTE).submit(ShopRoutes.order("o-1", "d-1"));
                assertThat(store.countByStatus()).isNotEmpty();
              });
    }

    @Test
    @DisplayName("leaves the schema alone with postoffice.store.migrate=false")
    void noMigration() {
      withDataSource
          .withPropertyValues(
              h2Url(), "postoffice.store.migrate=false", "postoffice.auto-startup=false")
          .run(
              context -> {
                assertThat(context).hasSingleBean(JdbcStatusStore.class);
                assertThat(tables(context.getBean(DataSource.class)))
                    .noneMatch(t -> t.startsWith("PO_"));
              });
    }

    @Test
    @DisplayName("is in memory with postoffice.store.type=memory, DataSource or not")
    void memoryByChoice() {
      withDataSource
          .withPropertyValues(h2Url(), "postoffice.store.type=memory")
          .run(
              context ->
                  assertThat(context.getBean(StatusStore.class))
                      .isInstanceOf(InMemoryStatusStore.class));
    }

    @Test
    @DisplayName("is in memory when postoffice-jdbc-store is not on the class path")
    void memoryWithoutTheModule() {
      withDataSource
          .withPropertyValues(h2Url())
          .withClassLoader(
              new FilteredClassLoader(
                  JdbcStatusStore.class.getPackageName(), "org.springframework.amqp"))
          .run(
              context ->
                  assertThat(context.getBean(StatusStore.class))
                      .isInstanceOf(InMemoryStatusStore.class));
    }

    @Test
    @DisplayName("fails the start-up with a hint when jdbc is asked for and there is no DataSource")
    void jdbcWithoutDataSource() {
      runner
          .withPropertyValues("postoffice.store.type=jdbc")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .rootCause()
                      .isInstanceOf(ConfigurationException.class)
                      .hasMessageContaining("postoffice.store: no StatusStore")
                      .hasMessageContaining("postoffice.store.type is jdbc")
                      .hasMessageContaining("[Hint:"));
    }

    @Test
    @DisplayName("fails the start-up with a hint when a route needs a transport that is missing")
    void transportMissing() {
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withPropertyValues("postoffice.transport.type=rabbit")
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .rootCause()
                      .isInstanceOf(ConfigurationException.class)
                      .hasMessageContaining("postoffice.transport: no Transport")
                      .hasMessageContaining("postoffice.transport.type is rabbit"));
    }
  }

  @Nested
  @DisplayName("backs off")
  class BackOff {
    @Test
    @DisplayName("for the application's own StatusStore, and runs the pipeline on it")
    void ownStore() {
      InMemoryStatusStore own = InMemoryStatusStore.create();
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withBean("myStore", StatusStore.class, () -> own)
          .run(
              context -> {
                assertThat(context).hasSingleBean(StatusStore.class);
                context
                    .getBean(Pipeline.class)
                    .intake(ShopRoutes.ROUTE)
                    .submit(ShopRoutes.order("o-1", "d-1"));
                assertThat(own.backlog(RouteId.of(ShopRoutes.ROUTE)) + own.countByStatus().size())
                    .isPositive();
              });
    }

    @Test
    @DisplayName("for the application's own Transport, and publishes through it")
    void ownTransport() {
      InMemoryTransport own = InMemoryTransport.create();
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withBean("myTransport", Transport.class, () -> own)
          .run(
              context -> {
                assertThat(context).hasSingleBean(Transport.class);
                BlockingQueue<String> core = ShopRoutes.watch(own, ShopRoutes.QUEUE);
                context
                    .getBean(Pipeline.class)
                    .intake(ShopRoutes.ROUTE)
                    .submit(ShopRoutes.order("mine", "d-1"));
                assertThat(ShopRoutes.next(core)).contains("MINE");
              });
    }

    @Test
    @DisplayName("entirely for the application's own Pipeline, which it neither starts nor stops")
    void ownPipeline() {
      runner
          .withBean(
              Pipeline.class,
              () ->
                  PostOffice.builder()
                      .store(InMemoryStatusStore.create())
                      .transport(InMemoryTransport.create())
                      .route(ShopRoutes.orders(ShopRoutes.QUEUE))
                      .build())
          .run(
              context ->
                  assertThat(context)
                      .hasSingleBean(Pipeline.class)
                      .doesNotHaveBean(PostOfficeLifecycle.class)
                      .doesNotHaveBean(StatusStore.class)
                      .doesNotHaveBean(Transport.class));
    }
  }

  @Nested
  @DisplayName("takes the application's beans")
  class Beans {
    @Test
    @DisplayName("PipelineListener beans get the pipeline's events")
    void listeners() {
      List<StatusChanged> events = new CopyOnWriteArrayList<>();
      List<StatusChanged> second = new CopyOnWriteArrayList<>();
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withBean("first", PipelineListener.class, () -> new Recording(events))
          .withBean("second", PipelineListener.class, () -> new Recording(second))
          .run(
              context -> {
                context
                    .getBean(Pipeline.class)
                    .intake(ShopRoutes.ROUTE)
                    .submit(ShopRoutes.order("o-1", "d-1"));
                await().atMost(Duration.ofSeconds(10)).until(() -> !events.isEmpty());
                await().atMost(Duration.ofSeconds(10)).until(() -> !second.isEmpty());
              });
    }

    @Test
    @DisplayName("RouteIngestor beans start with the pipeline and feed their route")
    void ingestors() {
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withBean(
              RouteIngestor.class,
              () ->
                  RouteIngestor.of(
                      ShopRoutes.ROUTE,
                      (Ingestor)
                          (Intake intake) ->
                              intake.submit(ShopRoutes.order("from-ingestor", "i-1"))))
          .run(
              context -> {
                Pipeline pipeline = context.getBean(Pipeline.class);
                await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> !pipeline.operations().stats().isEmpty());
              });
    }

    @Test
    @DisplayName(
        "an ingestor for a route that does not exist fails the start-up, naming the routes")
    void ingestorForNoRoute() {
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withBean(
              RouteIngestor.class, () -> RouteIngestor.of("no-such-route", (Ingestor) intake -> {}))
          .run(
              context ->
                  assertThat(context)
                      .getFailure()
                      .rootCause()
                      .isInstanceOf(ConfigurationException.class)
                      .hasMessageContaining("no-such-route")
                      .hasMessageContaining(ShopRoutes.ROUTE));
    }

    @Test
    @DisplayName("PipelineBuilderCustomizer beans have the last word")
    void customizers() {
      runner
          .withUserConfiguration(OrdersRoute.class)
          .withPropertyValues("postoffice.node-id=from-properties")
          .withBean(PipelineBuilderCustomizer.class, () -> b -> b.nodeId("from-customizer"))
          .run(
              context ->
                  assertThat(context.getBean(Pipeline.class).nodeId())
                      .isEqualTo("from-customizer"));
    }
  }

  private static List<String> tables(DataSource dataSource) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    try (Connection c = dataSource.getConnection();
        ResultSet rs = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME").toUpperCase(java.util.Locale.ROOT));
      }
    }
    return names;
  }

  private record Recording(List<StatusChanged> events) implements PipelineListener {
    @Override
    public void onStatusChanged(StatusChanged event) {
      events.add(event);
    }
  }
}
