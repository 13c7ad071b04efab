package dev.postoffice.examples;

import static dev.postoffice.testkit.EntryAssert.assertThatEntry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.examples.model.AcmeOrder;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.testkit.MutableClock;
import dev.postoffice.testkit.PipelineDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The acme-orders route")
class AcmeOrdersRouteTest {
  // tag::testSetup[]
  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final InMemoryStatusStore store = InMemoryStatusStore.create();
  private final InMemoryTransport transport = InMemoryTransport.create();
  private final JacksonCodec codec = JacksonCodec.create();
  private final CoreOrderBook core = new CoreOrderBook();
  private Pipeline pipeline;
  private CoreAppReceiver<OrderLinePlaced> receiver;
  private PipelineDriver driver;

  private void start(Route route) {
    pipeline =
        PostOffice.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .manualScheduling() // no worker threads: the driver runs the stages
            .route(route)
            .build()
            .start();
    receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderLinePlaced.class)
            .from(AcmeRoutes.ORDERS_QUEUE)
            .clock(clock)
            .handler(core)
            .build()
            .start();
    driver = PipelineDriver.of(pipeline, transport);
  }

  @AfterEach
  void stop() {
    receiver.close();
    pipeline.close();
    transport.close();
  }

  // end::testSetup[]

  private IntakeReceipt submit(String json, String deliveryId) {
    return pipeline.intake(AcmeRoutes.ORDERS).submit(RawMessage.json(json, deliveryId));
  }

  private List<Entry> outputsIn(IntakeReceipt receipt, Layer layer) {
    return pipeline.operations().lineage(receipt.entryId()).descendants().stream()
        .filter(e -> e.layer() == layer)
        .toList();
  }

  @Nested
  @DisplayName("A good order")
  class GoodOrder {
    @Test
    @DisplayName("reaches Acknowledged as one core event per line, each handed to the core once")
    void acknowledged() {
      // tag::goodOrder[]
      start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));

      IntakeReceipt receipt = submit(AcmeTraffic.orderJson("A-1", 2), "delivery-1");
      driver.drain();

      assertThatEntry(store, receipt.entryId())
          .hasStatus(Status.PROCESSED)
          .hasHistory(Status.JUST_IN, Status.PROCESSED);
      List<Entry> coreMessages = outputsIn(receipt, Layer.L4);
      assertThat(coreMessages)
          .hasSize(2)
          .allSatisfy(
              e ->
                  assertThatEntry(store, e.id())
                      .hasStatus(Status.ACKNOWLEDGED)
                      .hasHistory(Status.JUST_IN, Status.QUEUED, Status.ACKNOWLEDGED));
      assertThat(core.timesHandled(coreMessages.get(0).id().value())).isEqualTo(1);
      // end::goodOrder[]
    }

    @Test
    @DisplayName("records which normalizer and translator version made each entry")
    void versions() {
      start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));

      IntakeReceipt receipt = submit(AcmeTraffic.orderJson("A-2", 1), null);
      driver.drain();

      assertThat(outputsIn(receipt, Layer.L2))
          .extracting(Entry::producedBy)
          .containsExactly("normalize@1");
      assertThat(outputsIn(receipt, Layer.L3))
          .extracting(Entry::producedBy)
          .containsExactly("translate@" + OrderTranslator.VERSION);
    }

    @Test
    @DisplayName("sent twice with the same delivery id is recorded as Duplicate and handled once")
    void duplicate() {
      start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));

      IntakeReceipt first = submit(AcmeTraffic.orderJson("A-3", 1), "delivery-3");
      IntakeReceipt again = submit(AcmeTraffic.orderJson("A-3", 1), "delivery-3");
      driver.drain();

      assertThat(again.isDuplicate()).isTrue();
      assertThat(again.duplicateOf()).isEqualTo(first.entryId());
      assertThatEntry(store, again.entryId()).hasStatus(Status.DUPLICATE).hasOutputs(0);
      assertThat(core.linesHandled()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("A malformed delivery")
  class Malformed {
    @Test
    @DisplayName("is rejected at once with a reason naming the field, and never retried")
    void rejected() {
      // tag::rejected[]
      start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));

      IntakeReceipt noId =
          submit("{\"customer\": \"C-7\", \"lines\": [{\"sku\": \"S-1\", \"quantity\": 1}]}", null);
      driver.drain();
      clock.advance(Duration.ofDays(1));
      driver.drain();

      assertThatEntry(store, noId.entryId())
          .hasStatus(Status.REJECTED)
          .hasHistory(Status.JUST_IN, Status.REJECTED)
          .hasErrorContaining("orderId is required, but was missing")
          .hasOutputs(0);
      assertThat(pipeline.operations().failed(AcmeRoutes.ORDERS, 10))
          .extracting(Entry::id)
          .containsExactly(noId.entryId());
      // end::rejected[]
    }

    @Test
    @DisplayName("that is not JSON is rejected with the parser's position")
    void notJson() {
      start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));

      IntakeReceipt broken = submit(AcmeTraffic.MALFORMED.get(0), null);
      driver.drain();

      assertThatEntry(store, broken.entryId())
          .hasStatus(Status.REJECTED)
          .hasErrorContaining("cannot decode AcmeOrder at line 1, column 54");
    }

    @Test
    @DisplayName("does not hold up the good orders around it")
    void doesNotBlock() {
      start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));

      AcmeTraffic.Orders traffic = AcmeTraffic.orders(40);
      traffic.messages().forEach(m -> pipeline.intake(AcmeRoutes.ORDERS).submit(m));
      driver.drain();

      assertThat(core.linesHandled()).isEqualTo(traffic.lines());
      assertThat(core.eachHandledOnce()).isTrue();
      assertThat(pipeline.operations().failed(AcmeRoutes.ORDERS, 100))
          .hasSize(traffic.malformed())
          .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.REJECTED));
    }
  }

  @Nested
  @DisplayName("After a mapping fix")
  class Replay {
    @Test
    @DisplayName(
        "an operator replays what the old translator rejected, and the new version's outputs reach the core")
    void replayAfterFix() {
      // tag::replay[]
      // Version 1 of the mapping could not handle orders of more than one line.
      start(
          Route.upstream(AcmeRoutes.ORDERS)
              .normalize(AcmeOrder.class, new AcmeOrderNormalizer(codec))
              .translate(
                  OrderLinePlaced.class,
                  (AcmeOrder order) -> {
                    if (order.lines().size() > 1) {
                      throw new RejectedInputException(
                          "orders of several lines are not mapped yet");
                    }
                    return new OrderTranslator().translate(order);
                  })
              .publishTo(AcmeRoutes.ORDERS_QUEUE)
              .translatorVersion("1")
              .build());
      IntakeReceipt receipt = submit(AcmeTraffic.orderJson("A-9", 3), "delivery-9");
      driver.drain();
      Entry rejected = pipeline.operations().failed(AcmeRoutes.ORDERS, 10).get(0);
      assertThat(rejected.layer()).isEqualTo(Layer.L2); // the translator's input was rejected

      // Version 2 is deployed: the same store, a new pipeline with the fixed translator.
      receiver.close();
      pipeline.close();
      start(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));
      pipeline.operations().replay(rejected.id(), "multi-line orders mapped in translator v2");
      driver.drain();

      assertThatEntry(store, rejected.id())
          .hasHistory(Status.JUST_IN, Status.REJECTED, Status.JUST_IN, Status.PROCESSED)
          .hasOutputs(3);
      assertThat(outputsIn(receipt, Layer.L3))
          .extracting(Entry::producedBy)
          .containsOnly("translate@" + OrderTranslator.VERSION);
      assertThat(core.linesHandled()).isEqualTo(3);
      // end::replay[]
    }
  }
}
