package dev.postoffice.rabbit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@DisplayName("Poison messages on the RabbitMQ at 127.0.0.1:5672")
class PoisonMessageIT {
  private static final int MAX_DELIVERIES = 3;

  private final String destination = "poison";

  @RegisterExtension final BrokerScope broker = BrokerScope.deleting(destination);

  private final String prefix = broker.prefix();

  @Test
  @DisplayName("land in the dead-letter queue with their reason while the other messages carry on")
  void poisonIsolated() throws Exception {
    Map<String, InboundMessage> dead = new ConcurrentHashMap<>();
    Set<String> handled = ConcurrentHashMap.newKeySet();
    List<Integer> throwerDeliveries = new CopyOnWriteArrayList<>();
    try (RabbitTransport t =
        RabbitTransport.create(Broker.settings(prefix).maxDeliveries(MAX_DELIVERIES).build())) {
      t.declare(destination);
      t.subscribe(
          t.deadLetterDestination(destination),
          m -> {
            dead.put(m.messageId(), m);
            return Disposition.ack();
          });
      t.subscribe(
          destination,
          m -> {
            switch (m.messageId()) {
              case "refused" -> {
                return Disposition.deadLetter("schema violation: missing field 'sku'");
              }
              case "thrower" -> {
                throwerDeliveries.add(m.deliveryCount());
                throw new IllegalStateException("handler bug");
              }
              default -> {
                handled.add(m.messageId());
                return Disposition.ack();
              }
            }
          });
      t.publish(destination, RabbitTransportIT.message("refused")).join();
      t.publish(destination, RabbitTransportIT.message("thrower")).join();
      for (int i = 0; i < 50; i++) {
        t.publish(destination, RabbitTransportIT.message("ok-" + i)).join();
      }
      Broker.await(
          Duration.ofSeconds(20),
          () -> dead.size() == 2 && handled.size() == 50,
          "two dead letters and 50 handled messages");
    }
    assertThat(dead.get("refused").headers())
        .containsEntry(Transport.HEADER_DEAD_LETTER_REASON, "schema violation: missing field 'sku'")
        .containsEntry(Transport.HEADER_TRACE_ID, "trace-refused");
    assertThat(dead.get("thrower").headers().get(Transport.HEADER_DEAD_LETTER_REASON))
        .contains("requeued on delivery 3 of maxDeliveries (3)")
        .contains("handler bug");
    assertThat(throwerDeliveries).containsExactly(1, 2, 3);
  }
}
