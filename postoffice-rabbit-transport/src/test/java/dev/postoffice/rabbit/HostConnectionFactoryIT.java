package dev.postoffice.rabbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("RabbitTransport on a connection factory the host configured")
class HostConnectionFactoryIT {
  private String prefix;

  @BeforeAll
  static void needsRabbit() {
    Broker.assumeReachable();
  }

  @BeforeEach
  void uniqueNames() {
    prefix = Broker.uniquePrefix();
  }

  @AfterEach
  void cleanUp() {
    Broker.cleanUp(prefix, List.of("orders"));
  }

  /** Configured the way Spring AMQP leaves the factory it wraps: automatic recovery off. */
  private static ConnectionFactory hostFactory(String password) {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost(Broker.HOST);
    factory.setPort(Broker.PORT);
    factory.setUsername("guest");
    factory.setPassword(password);
    factory.setAutomaticRecoveryEnabled(false);
    return factory;
  }

  @Test
  @DisplayName(
      "publishes and consumes through the host's factory, and leaves that factory as it was")
  void roundTrip() throws Exception {
    ConnectionFactory factory = hostFactory("guest");
    // The settings' address points nowhere: the factory's must be the one used.
    RabbitTransportSettings settings =
        Broker.settings(prefix).host("unused.invalid").port(1).build();
    BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
    try (RabbitTransport transport = RabbitTransport.create(factory, settings)) {
      assertThat(transport.settings().host()).isEqualTo(Broker.HOST);
      assertThat(transport.settings().namePrefix()).isEqualTo(prefix);
      transport.declare("orders");
      transport.subscribe(
          "orders",
          m -> {
            got.add(m);
            return Disposition.ack();
          });
      transport.publish("orders", RabbitTransportIT.message("h-1")).get(10, TimeUnit.SECONDS);

      InboundMessage m = got.poll(10, TimeUnit.SECONDS);
      assertThat(m).as("a delivery within 10 s").isNotNull();
      assertThat(m.messageId()).isEqualTo("h-1");
    }
    assertThat(factory.isAutomaticRecoveryEnabled())
        .as("the host's own factory keeps its recovery setting")
        .isFalse();
  }

  @Test
  @DisplayName("refuses a wrong login with the factory's address and user, never the password")
  void wrongLogin() {
    ConnectionFactory factory = hostFactory("not-the-password");
    factory.setConnectionTimeout((int) Duration.ofSeconds(5).toMillis());

    assertThatThrownBy(
            () -> RabbitTransport.create(factory, Broker.settings(prefix).host("other").build()))
        .isInstanceOf(RabbitTransportException.class)
        .hasMessageContaining("amqp://guest@" + Broker.HOST + ":" + Broker.PORT)
        .hasMessageNotContaining("not-the-password");
  }

  @Test
  @DisplayName("checks its arguments")
  void nulls() {
    RabbitTransportSettings settings = RabbitTransportSettings.ofDefaults();
    assertThatThrownBy(() -> RabbitTransport.create(null, settings))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("connectionFactory cannot be null");
    assertThatThrownBy(() -> RabbitTransport.create(new ConnectionFactory(), null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("settings cannot be null");
  }
}
