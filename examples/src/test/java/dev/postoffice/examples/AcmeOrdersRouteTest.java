package dev.postoffice.examples;

import static dev.postoffice.testkit.junit.PostOfficeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.examples.model.AcmeOrder;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.testkit.junit.PostOfficeTest;
import dev.postoffice.testkit.junit.TestPostOffice;
import dev.postoffice.testkit.junit.TestRoute;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The acme-orders route")
// tag::testClass[]
@PostOfficeTest // each test gets a TestPostOffice: in-memory store and transport, a MutableClock
class AcmeOrdersRouteTest {
  private final JacksonCodec codec = JacksonCodec.create();
  private final CoreOrderBook core = new CoreOrderBook(); // the Core App's handler

  @TestRoute Route orders = AcmeRoutes.orders(codec, RouteSettings.ofDefaults());

  @BeforeEach
  void startCoreApp(TestPostOffice po) {
    // The Core App's side of the queue: receives, dedups and acknowledges each core message.
    po.closeAfterTest(
        CoreAppReceiver.builder(po.transport(), InMemoryReceiptLog.create(), OrderLinePlaced.class)
            .from(AcmeRoutes.ORDERS_QUEUE)
            .clock(po.clock())
            .handler(core)
            .build()
            .start());
  }

  static final String ORDER_OF_TWO_LINES =
      """
      {"orderId": "A-1", "customer": "C-1",
       "lines": [{"sku": "SKU-1", "quantity": 2}, {"sku": "SKU-2", "quantity": 5}]}""";

  // end::testClass[]

  static final String ORDER_OF_THREE_LINES =
      """
      {"orderId": "A-9", "customer": "C-9",
       "lines": [{"sku": "S-1", "quantity": 1}, {"sku": "S-2", "quantity": 1},
                 {"sku": "S-3", "quantity": 1}]}""";

  @Nested
  @DisplayName("A good order")
  class GoodOrder {
    @Test
    @DisplayName("reaches Acknowledged as one core event per line, each handed to the core once")
    void acknowledged(TestPostOffice po) {
      // tag::goodOrder[]
      IntakeReceipt receipt = po.submit(AcmeRoutes.ORDERS, ORDER_OF_TWO_LINES, "delivery-1");
      po.drain();

      assertThat(po)
          .entry(receipt)
          .hasStatus(Status.PROCESSED)
          .hasHistory(Status.JUST_IN, Status.PROCESSED);
      assertThat(po)
          .descendantsOf(receipt)
          .layer(Layer.L4)
          .hasSize(2)
          .hasStatus(Status.ACKNOWLEDGED)
          .haveHistory(Status.JUST_IN, Status.QUEUED, Status.ACKNOWLEDGED);
      assertThat(core.linesHandled()).isEqualTo(2);
      // end::goodOrder[]
    }

    @Test
    @DisplayName("records which normalizer and translator version made each entry")
    void versions(TestPostOffice po) {
      // tag::descendantsIn[]
      IntakeReceipt receipt = po.submit(AcmeRoutes.ORDERS, ORDER_OF_TWO_LINES, null);
      po.drain();

      List<Entry> partnerModels = assertThat(po).entry(receipt).descendantsIn(Layer.L2);
      List<Entry> coreEvents = assertThat(po).entry(receipt).descendantsIn(Layer.L3);
      assertThat(partnerModels).extracting(Entry::producedBy).containsExactly("normalize@1");
      assertThat(coreEvents)
          .extracting(Entry::producedBy)
          .containsOnly("translate@" + OrderTranslator.VERSION);
      // end::descendantsIn[]
    }

    @Test
    @DisplayName("sent twice with the same delivery id is recorded as Duplicate and handled once")
    void duplicate(TestPostOffice po) {
      IntakeReceipt first = po.submit(AcmeRoutes.ORDERS, AcmeTraffic.orderJson("A-3", 1), "d-3");
      IntakeReceipt again = po.submit(AcmeRoutes.ORDERS, AcmeTraffic.orderJson("A-3", 1), "d-3");
      po.drain();

      assertThat(again.isDuplicate()).isTrue();
      assertThat(again.duplicateOf()).isEqualTo(first.entryId());
      assertThat(po).entry(again).hasStatus(Status.DUPLICATE).hasOutputs(0);
      assertThat(core.linesHandled()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("A malformed delivery")
  class Malformed {
    @Test
    @DisplayName("is rejected at once with a reason naming the field, and never retried")
    void rejected(TestPostOffice po) {
      // tag::rejected[]
      IntakeReceipt noId =
          po.submit(
              AcmeRoutes.ORDERS,
              """
              {"customer": "C-7", "lines": [{"sku": "S-1", "quantity": 1}]}""",
              null);
      po.drain();
      po.clock().advance(Duration.ofDays(1));
      po.drain();

      assertThat(po)
          .entry(noId)
          .hasStatus(Status.REJECTED)
          .hasHistory(Status.JUST_IN, Status.REJECTED)
          .hasErrorContaining("orderId is required, but was missing")
          .hasOutputs(0);
      assertThat(po.operations().failed(AcmeRoutes.ORDERS, 10))
          .extracting(Entry::id)
          .containsExactly(noId.entryId());
      // end::rejected[]
    }

    @Test
    @DisplayName("that is not JSON is rejected with the parser's position and expectation")
    void notJson(TestPostOffice po) {
      IntakeReceipt broken = po.submit(AcmeRoutes.ORDERS, AcmeTraffic.MALFORMED.get(0), null);
      po.drain();

      assertThat(po)
          .entry(broken)
          .hasStatus(Status.REJECTED)
          .hasErrorContaining("cannot decode AcmeOrder at line 1, column 54");
      IntakeReceipt html = po.submit(AcmeRoutes.ORDERS, "Internal Server Error", null);
      po.drain();
      assertThat(po)
          .entry(html)
          .hasStatus(Status.REJECTED)
          .hasErrorContaining(
              "Unrecognized token: was expecting JSON String, Number, Array, Object or token"
                  + " 'null', 'true' or 'false'");
    }

    @Test
    @DisplayName("does not hold up the good orders around it")
    void doesNotBlock(TestPostOffice po) {
      AcmeTraffic.Orders traffic = AcmeTraffic.orders(40);
      traffic.messages().forEach(m -> po.submit(AcmeRoutes.ORDERS, m));
      po.drain();

      assertThat(core.linesHandled()).isEqualTo(traffic.lines());
      assertThat(core.eachHandledOnce()).isTrue();
      assertThat(po.operations().failed(AcmeRoutes.ORDERS, 100))
          .hasSize(traffic.malformed())
          .allSatisfy(e -> assertThat(e.status()).isEqualTo(Status.REJECTED));
    }
  }

  @Nested
  @DisplayName("After a mapping fix")
  class Replay {
    @Test
    @DisplayName(
        "an operator replays what the old translator rejected, and the new version's outputs reach"
            + " the core")
    void replayAfterFix(TestPostOffice po) {
      // tag::replay[]
      // Version 1 of the mapping could not handle orders of more than one line.
      po.start(
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
      IntakeReceipt receipt = po.submit(AcmeRoutes.ORDERS, ORDER_OF_THREE_LINES, "delivery-9");
      po.drain();
      Entry rejected = po.operations().failed(AcmeRoutes.ORDERS, 10).get(0);
      assertThat(rejected.layer()).isEqualTo(Layer.L2); // the translator's input was rejected

      // Version 2 is deployed: a new pipeline on the same store, with the fixed translator.
      po.restart(AcmeRoutes.orders(codec, RouteSettings.ofDefaults()));
      po.operations().replay(rejected.id(), "multi-line orders mapped in translator v2");
      po.drain();

      assertThat(po)
          .entry(rejected.id())
          .hasHistory(Status.JUST_IN, Status.REJECTED, Status.JUST_IN, Status.PROCESSED)
          .hasOutputs(3);
      assertThat(po)
          .descendantsOf(receipt)
          .layer(Layer.L4)
          .hasSize(3)
          .hasStatus(Status.ACKNOWLEDGED);
      assertThat(po.descendants(receipt.entryId(), Layer.L3))
          .extracting(Entry::producedBy)
          .containsOnly("translate@" + OrderTranslator.VERSION);
      assertThat(core.linesHandled()).isEqualTo(3);
      // end::replay[]
    }
  }
}
