package dev.postoffice.examples;

import static dev.postoffice.testkit.EntryAssert.assertThatEntry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.examples.model.ShipOrder;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.StatusCount;
import dev.postoffice.testkit.MutableClock;
import dev.postoffice.testkit.PipelineDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("The shipments-to-acme route")
class ShipmentsRouteTest {
  private static final ShipOrder SHIP =
      new ShipOrder("S-1", "A-1", "1 Main Street", "Springfield", 2);

  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final InMemoryStatusStore store = InMemoryStatusStore.create();
  private final InMemoryTransport transport = InMemoryTransport.create();
  private final JacksonCodec codec = JacksonCodec.create();
  private final AcmeApiStandIn acme = AcmeApiStandIn.create(codec);
  private final CoreAppSender core = CoreAppSender.create(transport);
  private Pipeline pipeline;
  private PipelineDriver driver;

  @BeforeEach
  void start() {
    pipeline =
        PostOffice.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .manualScheduling()
            .route(AcmeRoutes.shipments(codec, acme, RouteSettings.ofDefaults()))
            .build()
            .start();
    driver = PipelineDriver.of(pipeline, transport);
  }

  @AfterEach
  void stop() {
    pipeline.close();
    transport.close();
  }

  private void send(ShipOrder command) {
    core.send(AcmeRoutes.SHIPMENTS_QUEUE, command.shipmentId(), command).join();
  }

  @Nested
  @DisplayName("A ship command")
  class Command {
    @Test
    @DisplayName("is dispatched once, with its layer-1 entry id as the idempotency key")
    void dispatched() {
      // tag::dispatched[]
      send(SHIP);
      driver.drain();

      assertThat(acme.booked()).hasSize(1);
      String idempotencyKey = acme.booked().keySet().iterator().next();
      assertThatEntry(store, EntryId.of(idempotencyKey))
          .isInLayer(Layer.L1)
          .hasStatus(Status.DISPATCHED)
          .hasHistory(Status.JUST_IN, Status.DISPATCHED);
      assertThat(acme.booked().get(idempotencyKey).reference()).isEqualTo("SHP-S-1");
      // end::dispatched[]
    }

    @Test
    @DisplayName("links the partner request back to the core's message, whose id is its dedup key")
    void lineage() {
      send(SHIP);
      driver.drain();

      EntryId dispatched = EntryId.of(acme.booked().keySet().iterator().next());
      Entry root = pipeline.operations().lineage(dispatched).root();
      assertThat(root.layer()).isEqualTo(Layer.L4);
      assertThat(root.dedupKey()).isEqualTo("S-1");
      assertThat(pipeline.operations().lineage(dispatched).ancestors())
          .extracting(Entry::layer)
          .containsExactly(Layer.L4, Layer.L3, Layer.L2);
    }

    @Test
    @DisplayName("sent twice by the core is recorded as Duplicate and booked once")
    void sentTwice() {
      send(SHIP);
      send(SHIP);
      driver.drain();

      assertThat(acme.booked()).hasSize(1);
      assertThat(pipeline.operations().stats())
          .contains(
              new StatusCount(pipeline.routes().get(0), Layer.L4, Status.DUPLICATE, 1),
              new StatusCount(pipeline.routes().get(0), Layer.L1, Status.DISPATCHED, 1));
    }
  }

  @Nested
  @DisplayName("When Acme's API fails")
  class Failures {
    @Test
    @DisplayName(
        "a 503 is retried after its Retry-After, not before, with the same idempotency key")
    void retriedAfterRetryAfter() {
      // tag::retryAfter[]
      acme.unavailableFor(
          1, Duration.ofMinutes(2)); // the next request is answered 503, Retry-After 2 min
      send(SHIP);
      driver.drain();

      EntryId request = acme.metOutage().get(0);
      assertThatEntry(store, request)
          .hasStatus(Status.RETRYING)
          .hasErrorContaining("Acme answered 503");

      clock.advance(Duration.ofMinutes(1));
      driver.drain();
      assertThatEntry(store, request).hasStatus(Status.RETRYING); // not due yet

      clock.advance(Duration.ofMinutes(2));
      driver.drain();
      assertThatEntry(store, request)
          .hasStatus(Status.DISPATCHED)
          .hasHistory(Status.JUST_IN, Status.RETRYING, Status.DISPATCHED);
      assertThat(acme.requests(request.value())).isEqualTo(2);
      assertThat(acme.booked()).containsOnlyKeys(request.value());
      // end::retryAfter[]
    }

    @Test
    @DisplayName("a 422 fails the entry at once; it waits for an operator")
    void permanent() {
      send(new ShipOrder("S-2", "A-2", "2 Main Street", "Springfield", 120));
      driver.drain();

      Entry failed = pipeline.operations().failed(AcmeRoutes.SHIPMENTS, 10).get(0);
      assertThat(failed.layer()).isEqualTo(Layer.L1);
      assertThatEntry(store, failed.id())
          .hasStatus(Status.FAILED)
          .hasHistory(Status.JUST_IN, Status.FAILED)
          .hasErrorContaining("Acme answered 422: packages must be 1 to 99, but was 120");
      assertThat(acme.booked()).isEmpty();
    }

    @Test
    @DisplayName("a request that keeps failing ends Failed after the route's maximum attempts")
    void givesUp() {
      acme.unavailableFor(Integer.MAX_VALUE, Duration.ZERO);
      send(SHIP);
      for (int i = 0; i < 10; i++) {
        driver.drain();
        clock.advance(Duration.ofHours(1));
      }

      EntryId request = acme.metOutage().get(0);
      assertThatEntry(store, request)
          .hasStatus(Status.FAILED)
          .hasErrorContaining("gave up after 8 attempt(s)");
      assertThat(acme.requests(request.value())).isEqualTo(8);
      assertThat(Map.copyOf(acme.booked())).isEmpty();
    }
  }
}
