package dev.postoffice.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.spi.Transport;
import dev.postoffice.sqs.SqsTransport;
import dev.postoffice.testkit.RequiredService;
import java.net.URI;
import java.util.UUID;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

@DisplayName("The transport the auto-configuration picks")
class TransportChoiceTest {
  // Not started: these tests look at the choice, not at traffic.
  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withConfiguration(
              AutoConfigurations.of(
                  RabbitAutoConfiguration.class, PostOfficeAutoConfiguration.class))
          .withPropertyValues("postoffice.auto-startup=false")
          .withBean(dev.postoffice.core.Route.class, () -> ShopRoutes.orders(ShopRoutes.QUEUE));

  @Test
  @DisplayName("is in memory with postoffice.transport.type=memory, even beside Spring AMQP")
  void memoryByChoice() {
    runner
        .withPropertyValues("postoffice.transport.type=memory")
        .run(
            context -> {
              assertThat(context).hasSingleBean(ConnectionFactory.class);
              assertThat(context.getBean(Transport.class)).isInstanceOf(InMemoryTransport.class);
            });
  }

  @Test
  @DisplayName("is SQS on the application's SqsClient, which it does not close")
  void sqs() {
    SqsClient client =
        SqsClient.builder()
            .region(Region.EU_WEST_1)
            .credentialsProvider(AnonymousCredentialsProvider.create())
            .endpointOverride(URI.create("http://127.0.0.1:9"))
            .build();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(PostOfficeAutoConfiguration.class))
        .withPropertyValues(
            "postoffice.auto-startup=false", "postoffice.transport.sqs.name-prefix=shop-")
        .withBean(SqsClient.class, () -> client)
        .withBean(dev.postoffice.core.Route.class, () -> ShopRoutes.orders(ShopRoutes.QUEUE))
        .run(
            context -> {
              SqsTransport transport = (SqsTransport) context.getBean(Transport.class);
              assertThat(transport.settings().namePrefix()).isEqualTo("shop-");
            });
  }

  @Test
  @DisplayName("is RabbitMQ on the broker spring.rabbitmq.* names, with postoffice.* settings")
  void rabbit() {
    RequiredService.assumeReachable("RabbitMQ", "127.0.0.1", 5672);
    String prefix = "sbt-" + UUID.randomUUID().toString().substring(0, 8) + ".";
    runner
        .withPropertyValues(
            "spring.rabbitmq.host=127.0.0.1",
            "postoffice.transport.rabbit.name-prefix=" + prefix,
            "postoffice.transport.rabbit.prefetch=17")
        .run(
            context -> {
              RabbitTransport transport = (RabbitTransport) context.getBean(Transport.class);
              assertThat(transport.settings().host()).isEqualTo("127.0.0.1");
              assertThat(transport.settings().namePrefix()).isEqualTo(prefix);
              assertThat(transport.settings().prefetch()).isEqualTo(17);
            });
  }
}
