package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.CoreMessageHandler;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.examples.model.OrderLinePlaced;
import dev.postoffice.model.TraceId;
import dev.postoffice.testkit.MutableClock;
import dev.postoffice.testkit.PipelineDriver;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The code docs/tracing.md quotes. */
@DisplayName("Trace context in the example's orders route")
class TraceContextExampleTest {
  /** A partner's record as its API returns it, with the trace context it was sent in. */
  record PartnerRecord(String json, String deliveryId, String traceparent, String tracestate) {}

  private final MutableClock clock = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private final InMemoryStatusStore store = InMemoryStatusStore.create();
  private final InMemoryTransport transport = InMemoryTransport.create();
  private final List<String> handlerSaw = new CopyOnWriteArrayList<>();
  private Pipeline pipeline;
  private CoreAppReceiver<OrderLinePlaced> receiver;

  @AfterEach
  void stop() {
    receiver.close();
    pipeline.close();
    transport.close();
  }

  @Test
  @DisplayName(
      "a record's traceparent names the trace, which the Core App's handler finds in the MDC and"
          + " its context")
  void traceReachesTheHandler() {
    pipeline =
        PostOffice.builder()
            .store(store)
            .transport(transport)
            .clock(clock)
            .manualScheduling()
            .route(AcmeRoutes.orders(JacksonCodec.create(), RouteSettings.ofDefaults()))
            .build()
            .start();
    // tag::traceHandler[]
    CoreMessageHandler<OrderLinePlaced> handler =
        (line, context) -> {
          // While it runs, MDC "traceId" holds context.traceId(): log lines show it (%X{traceId}).
          String parent = context.traceparent().orElse(null); // the parent of the core's span
          handlerSaw.add(context.traceId() + " " + parent);
        };
    // end::traceHandler[]
    receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderLinePlaced.class)
            .from(AcmeRoutes.ORDERS_QUEUE)
            .clock(clock)
            .handler(handler)
            .build()
            .start();
    PartnerRecord record =
        new PartnerRecord(
            AcmeTraffic.orderJson("A-1", 1),
            "delivery-1",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "rojo=00f067aa0ba902b7");

    // tag::traceIntake[]
    RawMessage message =
        RawMessage.json(record.json(), record.deliveryId())
            .withTraceContext(record.traceparent(), record.tracestate());
    IntakeReceipt receipt = pipeline.intake(AcmeRoutes.ORDERS).submit(message);
    // receipt.traceId() is 4bf92f3577b34da6a3ce929d0e0e4736: operators find the message by it
    // end::traceIntake[]
    PipelineDriver.of(pipeline, transport).drain();

    assertThat(receipt.traceId()).isEqualTo(TraceId.of("4bf92f3577b34da6a3ce929d0e0e4736"));
    assertThat(handlerSaw)
        .singleElement()
        .asString()
        .matches(
            "4bf92f3577b34da6a3ce929d0e0e4736 00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01");
  }
}
