package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.rabbit.RabbitTransportSettings;
import dev.postoffice.testkit.RequiredService;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The RabbitMQ code docs/transports.md quotes, against the local broker. */
@DisplayName("The transports guide's RabbitMQ code")
class TransportsGuideIT {
  private final String prefix = "docs-" + UUID.randomUUID().toString().substring(0, 8) + ".";

  @BeforeEach
  void broker() {
    RequiredService.assumeReachable("RabbitMQ", "127.0.0.1", 5672);
  }

  @AfterEach
  void cleanUp() throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setHost("127.0.0.1");
    try (Connection connection = factory.newConnection("docs-clean-up");
        Channel channel = connection.createChannel()) {
      for (String queue :
          new String[] {AcmeRoutes.ORDERS_QUEUE, PipelineBuilder.DEFAULT_ACK_DESTINATION}) {
        channel.queueDelete(prefix + queue);
        channel.queueDelete(prefix + queue + RabbitTransportSettings.DEFAULT_DEAD_LETTER_SUFFIX);
      }
      channel.exchangeDelete(prefix + RabbitTransportSettings.DEFAULT_EXCHANGE);
      channel.exchangeDelete(prefix + RabbitTransportSettings.DEFAULT_DEAD_LETTER_EXCHANGE);
    }
  }

  @Test
  @DisplayName("carries an order to the Core App and back to Acknowledged")
  void rabbit() {
    String password = "guest";
    InMemoryStatusStore store = InMemoryStatusStore.create(); // a JdbcStatusStore in production
    JacksonCodec codec = JacksonCodec.create();
    CoreOrderBook core = new CoreOrderBook();
    // tag::rabbit[]
    RabbitTransport transport =
        RabbitTransport.create( // connects now; fails with a hint if the broker is unreachable
            RabbitTransportSettings.builder()
                .host("127.0.0.1")
                .port(5672)
                .username("guest")
                .password(password)
                .namePrefix(prefix) // such as "shop.": queues and exchanges of this pipeline
                .build());

    Pipeline pipeline =
        PostOffice.builder()
            .store(store)
            .transport(transport)
            .route(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()))
            .build()
            .start(); // declares the route's queue, its dead-letter queue and the ack queue

    // The Core App's side: in production it runs in the Core App, on a RabbitTransport of its own.
    CoreAppReceiver<OrderLinePlaced> receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderLinePlaced.class)
            .from(AcmeRoutes.ORDERS_QUEUE)
            .handler(core)
            .build()
            .start();
    // end::rabbit[]
    try (transport;
        pipeline;
        receiver) {
      IntakeReceipt receipt =
          pipeline
              .intake(AcmeRoutes.ORDERS)
              .submit(RawMessage.json(AcmeTraffic.orderJson("A-1", 2), "d-1"));

      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(pipeline.operations().lineage(receipt.entryId()).descendants())
                      .filteredOn(e -> e.layer() == Layer.L4)
                      .hasSize(2)
                      .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.ACKNOWLEDGED)));
      assertThat(core.linesHandled()).isEqualTo(2);
    }
  }
}
