package dev.postoffice.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.IndicatedHealthDescriptor;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;

/** The example as it runs on a fresh machine: H2 and the in-memory transport. */
@SpringBootTest
@DisplayName("The Spring Boot example")
class ShopApplicationTest {
  @Autowired private OrderWebhook webhook;
  @Autowired private Transport transport;
  @Autowired private JdbcStatusStore store;
  @Autowired private HealthEndpoint health;

  @Test
  @DisplayName("takes an order at its webhook and publishes it to the Core App's queue, once")
  void orderToCore() throws Exception {
    BlockingQueue<String> core = new LinkedBlockingQueue<>();
    transport.subscribe(
        ShopApplication.CORE_QUEUE,
        m -> {
          core.add(new String(m.body(), StandardCharsets.UTF_8));
          return Disposition.ack();
        });

    Map<String, Object> first =
        webhook.receive("delivery-1", "{\"id\":\"o-1\",\"total\":12.50}").getBody();
    Map<String, Object> again =
        webhook.receive("delivery-1", "{\"id\":\"o-1\",\"total\":12.50}").getBody();

    assertThat(first).containsEntry("duplicate", false);
    assertThat(again).containsEntry("duplicate", true);
    String message = core.poll(10, TimeUnit.SECONDS);
    assertThat(message).contains("\"orderId\":\"o-1\"").contains("12.5");
    assertThat(core.poll(200, TimeUnit.MILLISECONDS))
        .as("the redelivery is not published")
        .isNull();
  }

  @Test
  @DisplayName("keeps its entries in the application's database and reports UP with its route")
  void healthy() {
    assertThat(store.tablePrefix()).isEqualTo("shop_");
    IndicatedHealthDescriptor postoffice =
        (IndicatedHealthDescriptor) health.healthForPath("postoffice");
    assertThat(postoffice.getStatus()).isEqualTo(Status.UP);
    assertThat(((Map<?, ?>) postoffice.getDetails().get("routes")).containsKey("shop-orders"))
        .isTrue();
  }
}
