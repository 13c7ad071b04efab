package dev.postoffice.examples;

import static dev.postoffice.testkit.junit.PostOfficeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.examples.model.ShipOrder;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.testkit.junit.PostOfficeTest;
import dev.postoffice.testkit.junit.TestPostOffice;
import dev.postoffice.testkit.junit.TestRoute;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The shipments-to-acme route")
// tag::testClass[]
@PostOfficeTest
class ShipmentsRouteTest {
  static final ShipOrder SHIP = new ShipOrder("S-1", "A-1", "1 Main Street", "Springfield", 2);

  private final JacksonCodec codec = JacksonCodec.create();
  private final AcmeApiStandIn acme = AcmeApiStandIn.create(codec); // Acme's API, in the JVM
  private CoreAppSender core;

  @TestRoute Route shipments = AcmeRoutes.shipments(codec, acme, RouteSettings.ofDefaults());

  @BeforeEach
  void startCoreApp(TestPostOffice po) {
    po.pipeline(); // started first: it declares the queue the Core App sends to
    core = CoreAppSender.create(po.transport()); // the Core App's side of the queue
  }

  // end::testClass[]

  @Nested
  @DisplayName("A ship command")
  class Command {
    @Test
    @DisplayName("is dispatched once, with its layer-1 entry id as the idempotency key")
    void dispatched(TestPostOffice po) {
      // tag::dispatched[]
      core.send(AcmeRoutes.SHIPMENTS_QUEUE, SHIP.shipmentId(), SHIP).join();
      po.drain();

      assertThat(acme.booked()).hasSize(1);
      String idempotencyKey = acme.booked().keySet().iterator().next();
      assertThat(po)
          .entry(EntryId.of(idempotencyKey))
          .isInLayer(Layer.L1)
          .hasStatus(Status.DISPATCHED)
          .hasHistory(Status.JUST_IN, Status.DISPATCHED);
      assertThat(acme.booked().get(idempotencyKey).reference()).isEqualTo("SHP-S-1");
      // end::dispatched[]
    }

    @Test
    @DisplayName("links the partner request back to the core's message, whose id is its dedup key")
    void lineage(TestPostOffice po) {
      core.send(AcmeRoutes.SHIPMENTS_QUEUE, SHIP.shipmentId(), SHIP).join();
      po.drain();

      EntryId dispatched = EntryId.of(acme.booked().keySet().iterator().next());
      Entry root = po.operations().lineage(dispatched).root();
      assertThat(root.layer()).isEqualTo(Layer.L4);
      assertThat(root.dedupKey()).isEqualTo("S-1");
      assertThat(po.operations().lineage(dispatched).ancestors())
          .extracting(Entry::layer)
          .containsExactly(Layer.L4, Layer.L3, Layer.L2);
    }

    @Test
    @DisplayName("sent twice by the core is recorded as Duplicate and booked once")
    void sentTwice(TestPostOffice po) {
      core.send(AcmeRoutes.SHIPMENTS_QUEUE, SHIP.shipmentId(), SHIP).join();
      core.send(AcmeRoutes.SHIPMENTS_QUEUE, SHIP.shipmentId(), SHIP).join();
      po.drain();

      assertThat(acme.booked()).hasSize(1);
      assertThat(po).route(AcmeRoutes.SHIPMENTS).layer(Layer.L1).hasSize(1);
      assertThat(po.operations().stats())
          .contains(
              new StatusCount(po.pipeline().routes().get(0), Layer.L4, Status.DUPLICATE, 1),
              new StatusCount(po.pipeline().routes().get(0), Layer.L1, Status.DISPATCHED, 1));
    }
  }

  @Nested
  @DisplayName("When Acme's API fails")
  class Failures {
    @Test
    @DisplayName(
        "a 503 is retried after its Retry-After, not before, with the same idempotency key")
    void retriedAfterRetryAfter(TestPostOffice po) {
      // tag::retryAfter[]
      acme.unavailableFor(1, Duration.ofMinutes(2)); // the next request: 503, Retry-After 2 min
      core.send(AcmeRoutes.SHIPMENTS_QUEUE, SHIP.shipmentId(), SHIP).join();
      po.drain();

      EntryId request = acme.metOutage().get(0);
      assertThat(po)
          .entry(request)
          .hasStatus(Status.RETRYING)
          .hasErrorContaining("Acme answered 503");

      po.clock().advance(Duration.ofMinutes(1));
      po.drain();
      assertThat(po).entry(request).hasStatus(Status.RETRYING); // not due yet

      po.clock().advance(Duration.ofMinutes(2));
      po.drain();
      assertThat(po)
          .entry(request)
          .hasStatus(Status.DISPATCHED)
          .hasHistory(Status.JUST_IN, Status.RETRYING, Status.DISPATCHED);
      assertThat(acme.requests(request.value())).isEqualTo(2);
      assertThat(acme.booked()).containsOnlyKeys(request.value());
      // end::retryAfter[]
    }

    @Test
    @DisplayName("a 422 fails the entry at once; it waits for an operator")
    void permanent(TestPostOffice po) {
      ShipOrder tooMany = new ShipOrder("S-2", "A-2", "2 Main Street", "Springfield", 120);
      core.send(AcmeRoutes.SHIPMENTS_QUEUE, tooMany.shipmentId(), tooMany).join();
      po.drain();

      Entry failed = po.operations().failed(AcmeRoutes.SHIPMENTS, 10).get(0);
      assertThat(failed.layer()).isEqualTo(Layer.L1);
      assertThat(po)
          .entry(failed.id())
          .hasStatus(Status.FAILED)
          .hasHistory(Status.JUST_IN, Status.FAILED)
          .hasErrorContaining("Acme answered 422: packages must be 1 to 99, but was 120");
      assertThat(acme.booked()).isEmpty();
    }

    @Test
    @DisplayName("a request that keeps failing ends Failed after the route's maximum attempts")
    void givesUp(TestPostOffice po) {
      acme.unavailableFor(Integer.MAX_VALUE, Duration.ZERO);
      core.send(AcmeRoutes.SHIPMENTS_QUEUE, SHIP.shipmentId(), SHIP).join();
      for (int i = 0; i < 10; i++) {
        po.drain();
        po.clock().advance(Duration.ofHours(1));
      }

      EntryId request = acme.metOutage().get(0);
      assertThat(po)
          .entry(request)
          .hasStatus(Status.FAILED)
          .hasErrorContaining("gave up after 8 attempt(s)");
      assertThat(acme.requests(request.value())).isEqualTo(8);
      assertThat(Map.copyOf(acme.booked())).isEmpty();
    }
  }
}
