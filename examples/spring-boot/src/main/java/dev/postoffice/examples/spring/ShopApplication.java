package dev.postoffice.examples.spring;

import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Route;
import dev.postoffice.spi.Codec;
import java.util.List;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * The application: a {@code Route} bean; the starter builds, starts and stops the pipeline around
 * it, on the application's DataSource and RabbitMQ connection (or H2 and the in-memory transport
 * when none is configured).
 */
@SpringBootApplication
public class ShopApplication {
  /** The queue the Core App reads new orders from. */
  public static final String CORE_QUEUE = "core-orders";

  /**
   * Runs the application.
   *
   * @param args Spring Boot's arguments
   */
  public static void main(String[] args) {
    SpringApplication.run(ShopApplication.class, args);
  }

  // tag::route-bean[]
  @Bean
  Route shopOrders() {
    Codec codec = JacksonCodec.create();
    return Route.upstream("shop-orders")
        .normalize(ShopOrder.class, raw -> codec.decode(raw.payload(), ShopOrder.class))
        .translate(OrderPlaced.class, order -> List.of(new OrderPlaced(order.id(), order.total())))
        .publishTo(CORE_QUEUE)
        .build();
  }
  // end::route-bean[]
}
