package dev.postoffice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.Route;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.testkit.RequiredService;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * What the "done when" asks: an application with the starter's auto-configuration, a {@code
 * Route} bean and a few properties gets a working upstream route to RabbitMQ on PostgreSQL, and its
 * health endpoint reports the pipeline.
 */
@SpringBootTest(classes = PostgresRabbitApplicationIT.ShopApplication.class)
@DirtiesContext
@DisplayName("A Spring Boot application on PostgreSQL 127.0.0.1:5432 and RabbitMQ 127.0.0.1:5672")
class PostgresRabbitApplicationIT {
  private static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String ID = UUID.randomUUID().toString().substring(0, 8);
  private static final String TABLE_PREFIX = "sb_" + ID + "_";
  private static final String NAME_PREFIX = "sb-" + ID + ".";
  private static final AtomicReference<ConfigurableApplicationContext> CONTEXT =
      new AtomicReference<>();

  @Autowired private Pipeline pipeline;
  @Autowired private HealthEndpoint health;

  @BeforeAll
  static void needsServices() {
    RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
    RequiredService.assumeReachable("RabbitMQ", "127.0.0.1", 5672);
  }

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    // The application's own settings: where its database and broker are.
    registry.add("spring.datasource.url", () -> POSTGRES_URL);
    registry.add("spring.datasource.username", () -> "postgres");
    registry.add("spring.rabbitmq.host", () -> "127.0.0.1");
    // PostOffice's: unique names, so parallel runs never share tables or queues.
    registry.add("postoffice.store.table-prefix", () -> TABLE_PREFIX);
    registry.add("postoffice.transport.rabbit.name-prefix", () -> NAME_PREFIX);
    registry.add("management.endpoint.health.show-details", () -> "always");
    registry.add("management.endpoints.web.exposure.include", () -> "health");
  }

  /** The whole application: a Route bean; everything else is auto-configured. */
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class ShopApplication {
    @Bean
    Route shopOrders() {
      return ShopRoutes.orders(ShopRoutes.QUEUE);
    }
  }

  @Autowired
  void remember(ConfigurableApplicationContext context) {
    CONTEXT.set(context);
  }

  @Test
  @DisplayName("publishes a message submitted to the route to the Core App's queue, and is healthy")
  void upstreamToRabbit() throws Exception {
    assertThat(CONTEXT.get().getBean(JdbcStatusStore.class).tablePrefix()).isEqualTo(TABLE_PREFIX);
    assertThat(CONTEXT.get().getBean(RabbitTransport.class).settings().namePrefix())
        .isEqualTo(NAME_PREFIX);

    pipeline.intake(ShopRoutes.ROUTE).submit(ShopRoutes.order("order-42", "delivery-42"));

    try (Connection connection = rabbit();
        Channel channel = connection.createChannel()) {
      AtomicReference<GetResponse> got = new AtomicReference<>();
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                GetResponse r = get(channel);
                if (r != null) {
                  got.set(r);
                }
                return got.get() != null;
              });
      assertThat(new String(got.get().getBody(), StandardCharsets.UTF_8)).contains("ORDER-42");
    }

    IndicatedHealthDescriptor postoffice =
        (IndicatedHealthDescriptor) health.healthForPath("postoffice");
    assertThat(postoffice.getStatus()).isEqualTo(Status.UP);
    assertThat(postoffice.getDetails())
        .containsEntry("store", "UP")
        .containsEntry("transport", "UP");
    Map<?, ?> routes = (Map<?, ?>) postoffice.getDetails().get("routes");
    assertThat(routes.containsKey(ShopRoutes.ROUTE)).as("routes: " + routes).isTrue();
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);
  }

  private static GetResponse get(Channel channel) throws Exception {
    return channel.basicGet(NAME_PREFIX + ShopRoutes.QUEUE, true);
  }

  private static Connection rabbit() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    return factory.newConnection("postoffice-spring-it");
  }

  @AfterAll
  static void cleanUp() throws Exception {
    ConfigurableApplicationContext context = CONTEXT.get();
    if (context == null) {
      return; // skipped: the services were not there
    }
    // Stops the pipeline before its queues and tables go; Spring closes the context later.
    context.getBean(PostOfficeLifecycle.class).stop();
    try (Connection connection = rabbit();
        Channel channel = connection.createChannel()) {
      for (String queue : List.of(ShopRoutes.QUEUE, "postoffice-acks")) {
        channel.queueDelete(NAME_PREFIX + queue);
        channel.queueDelete(NAME_PREFIX + queue + ".dlq");
      }
      channel.exchangeDelete(NAME_PREFIX + "postoffice");
      channel.exchangeDelete(NAME_PREFIX + "postoffice.dead-letter");
    }
    try (java.sql.Connection db = DriverManager.getConnection(POSTGRES_URL, "postgres", "");
        Statement st = db.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          db.getMetaData().getTables(null, "public", TABLE_PREFIX + "%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      for (String table : tables) {
        st.execute("DROP TABLE IF EXISTS " + table + " CASCADE");
      }
    }
  }
}
