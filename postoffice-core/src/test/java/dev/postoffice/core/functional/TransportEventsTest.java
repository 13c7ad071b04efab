package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.codec.AckMessages;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Intercepted;
import dev.postoffice.core.support.Models;
import dev.postoffice.core.support.Models.ShipOrder;
import dev.postoffice.core.support.RecordingListener;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.event.MessageDeadLettered;
import dev.postoffice.event.MessageRedelivered;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.PublishConfirmed;
import dev.postoffice.event.PublishFailed;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A pipeline listener's transport events")
class TransportEventsTest {
  private final Harness h = new Harness();
  private final RecordingListener recorder =
      new RecordingListener(
          PublishConfirmed.class,
          PublishFailed.class,
          MessageDeadLettered.class,
          MessageRedelivered.class);
  private final List<Pipeline> pipelines = new ArrayList<>();

  @AfterEach
  void tearDown() {
    pipelines.forEach(Pipeline::close);
    h.close();
  }

  private Pipeline track(Pipeline p) {
    pipelines.add(p);
    return p;
  }

  private Pipeline downstream(int maxPayloadBytes) {
    return track(
        h.pipeline("node-a")
            .listener(recorder)
            .route(
                h.shipmentsRoute(h.settings().toBuilder().maxPayloadBytes(maxPayloadBytes).build()))
            .build()
            .start());
  }

  @Nested
  @DisplayName("on publishing to the Core App")
  class Publishing {
    @Test
    @DisplayName("report a publish call the broker nacks as failed, and its retry as confirmed")
    void nacked() {
      AtomicInteger nacks = new AtomicInteger();
      Transport nacking =
          Intercepted.around(
              Transport.class,
              h.transport,
              (method, args, real) -> {
                if (method.getName().equals("publishAll") && nacks.get() == 0) {
                  nacks.incrementAndGet();
                  List<?> messages = (List<?>) args[1];
                  List<CompletableFuture<Void>> out = new ArrayList<>();
                  messages.forEach(
                      m ->
                          out.add(
                              CompletableFuture.failedFuture(
                                  new IllegalStateException("nacked by the broker"))));
                  return out;
                }
                return real.call();
              });
      Pipeline p =
          track(
              PostOffice.builder()
                  .nodeId("node-a")
                  .store(h.store)
                  .transport(nacking)
                  .clock(h.clock)
                  .manualScheduling()
                  .listener(recorder)
                  .route(h.ordersRoute(Harness::perLine, h.settings()))
                  .build()
                  .start());
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 2), null));
      Drain.untilIdle(p, h.transport);

      assertThat(nacks).hasValue(1);
      assertThat(recorder.of(PublishFailed.class))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.route()).isEqualTo(RouteId.of(Harness.ORDERS));
                assertThat(f.destination()).isEqualTo(Harness.ORDERS_QUEUE);
                assertThat(f.messages()).isEqualTo(2);
                assertThat(f.reason()).contains("nacked by the broker");
                assertThat(f.at()).isEqualTo(h.clock.instant());
              });
      assertThat(recorder.of(PublishConfirmed.class)).isEmpty();

      h.clock.advance(java.time.Duration.ofHours(1)); // the retry is due
      Drain.untilIdle(p, h.transport);
      assertThat(recorder.of(PublishFailed.class)).hasSize(1);
      assertThat(recorder.of(PublishConfirmed.class).stream().mapToInt(c -> c.messages()).sum())
          .isEqualTo(2);
    }

    @Test
    @DisplayName("report a publish call the transport refuses outright as failed for the batch")
    void refused() {
      Transport down =
          Intercepted.around(
              Transport.class,
              h.transport,
              (method, args, real) -> {
                if (method.getName().equals("publishAll")) {
                  throw new IllegalStateException("connection lost");
                }
                return real.call();
              });
      Pipeline p =
          track(
              PostOffice.builder()
                  .nodeId("node-a")
                  .store(h.store)
                  .transport(down)
                  .clock(h.clock)
                  .manualScheduling()
                  .listener(recorder)
                  .route(h.ordersRoute(Harness::perLine, h.settings()))
                  .build()
                  .start());
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 3), null));
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.of(PublishFailed.class))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.messages()).isEqualTo(3);
                assertThat(f.reason()).isEqualTo("connection lost");
              });
    }

    @Test
    @DisplayName("report no failure when every message is confirmed")
    void confirmed() {
      Pipeline p =
          track(
              h.pipeline("node-a")
                  .listener(recorder)
                  .route(h.ordersRoute(Harness::perLine, h.settings()))
                  .build()
                  .start());
      h.startReceiver();
      p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 2), null));
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.of(PublishConfirmed.class)).isNotEmpty();
      assertThat(recorder.of(PublishFailed.class)).isEmpty();
      assertThat(recorder.of(MessageRedelivered.class)).isEmpty();
      assertThat(recorder.of(MessageDeadLettered.class)).isEmpty();
    }
  }

  @Nested
  @DisplayName("on consuming")
  class Consuming {
    @Test
    @DisplayName(
        "report a malformed acknowledgement as dead-lettered from the acknowledgement queue")
    void malformedAck() {
      Pipeline p =
          track(
              h.pipeline("node-a")
                  .listener(recorder)
                  .route(h.ordersRoute(Harness::perLine, h.settings()))
                  .build()
                  .start());
      h.transport
          .publish(
              AckMessages.DEFAULT_DESTINATION,
              new OutboundMessage(
                  "bad-ack-1", Map.of(), "{}".getBytes(StandardCharsets.UTF_8), "application/json"))
          .join();
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.of(MessageDeadLettered.class))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.route()).isNull();
                assertThat(d.source()).isEqualTo(AckMessages.DEFAULT_DESTINATION);
                assertThat(d.messageId()).isEqualTo("bad-ack-1");
                assertThat(d.reason()).contains("is malformed");
                assertThat(d.at()).isEqualTo(h.clock.instant());
              });
      assertThat(
              h.transport.queued(
                  h.transport.deadLetterDestination(AckMessages.DEFAULT_DESTINATION)))
          .isEqualTo(1);
    }

    @Test
    @DisplayName(
        "report a downstream message too big to take as dead-lettered from its route's queue")
    void oversized() {
      Pipeline p = downstream(200);
      h.transport
          .publish(
              Harness.SHIPMENTS_QUEUE,
              new OutboundMessage(
                  "ship-big",
                  Map.of(),
                  "x".repeat(1_000).getBytes(StandardCharsets.UTF_8),
                  "application/json"))
          .join();
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.of(MessageDeadLettered.class))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.route()).isEqualTo(RouteId.of(Harness.SHIPMENTS));
                assertThat(d.source()).isEqualTo(Harness.SHIPMENTS_QUEUE);
                assertThat(d.messageId()).isEqualTo("ship-big");
                assertThat(d.reason()).isNotBlank();
              });
      assertThat(h.transport.queued(h.transport.deadLetterDestination(Harness.SHIPMENTS_QUEUE)))
          .isEqualTo(1);
    }

    @Test
    @DisplayName(
        "report a downstream message a consumer put back before as redelivered, once, and a first"
            + " delivery not at all")
    void redelivered() throws InterruptedException {
      h.transport.declare(Harness.SHIPMENTS_QUEUE);
      CoreAppSender sender = CoreAppSender.create(h.transport);
      sender.send(Harness.SHIPMENTS_QUEUE, "ship-1", new ShipOrder("o-1", "1 Main St")).join();
      // A consumer that dies before acknowledging: the broker puts the message back, counted.
      CountDownLatch putBack = new CountDownLatch(1);
      AtomicInteger seen = new AtomicInteger();
      Subscription crashing =
          h.transport.subscribe(
              Harness.SHIPMENTS_QUEUE,
              message -> {
                if (seen.getAndIncrement() == 0) {
                  return Disposition.requeue("consumer crashed");
                }
                putBack.countDown();
                // Not a delivery attempt: the count stays as the crash left it.
                return Disposition.release("closing");
              });
      assertThat(putBack.await(10, TimeUnit.SECONDS)).isTrue();
      crashing.close();

      Pipeline p = downstream(1_000_000);
      Drain.untilIdle(p, h.transport);
      sender.send(Harness.SHIPMENTS_QUEUE, "ship-2", new ShipOrder("o-2", "2 Main St")).join();
      Drain.untilIdle(p, h.transport);

      assertThat(recorder.of(MessageRedelivered.class))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.route()).isEqualTo(RouteId.of(Harness.SHIPMENTS));
                assertThat(r.source()).isEqualTo(Harness.SHIPMENTS_QUEUE);
                assertThat(r.deliveryCount()).isEqualTo(2);
              });
      assertThat(
              h.store.query(new EntryQuery(null, null, Set.of(), null, 100, false)).stream()
                  .filter(e -> e.layer() == Layer.L1 && e.status() == Status.DISPATCHED))
          .hasSize(2);
    }
  }

  @Test
  @DisplayName("do not change what becomes of a message when the listener throws on them")
  void throwingListener() {
    AtomicInteger calls = new AtomicInteger();
    PipelineListener throwing =
        new PipelineListener() {
          @Override
          public void onMessageDeadLettered(MessageDeadLettered event) {
            calls.incrementAndGet();
            throw new IllegalStateException("a broken listener");
          }

          @Override
          public void onMessageRedelivered(MessageRedelivered event) {
            calls.incrementAndGet();
            throw new IllegalStateException("a broken listener");
          }
        };
    Pipeline p =
        track(
            h.pipeline("node-a")
                .listener(throwing)
                .route(h.shipmentsRoute(h.settings().toBuilder().maxPayloadBytes(200).build()))
                .build()
                .start());
    h.transport
        .publish(
            Harness.SHIPMENTS_QUEUE,
            new OutboundMessage(
                "ship-big",
                Map.of(),
                "x".repeat(1_000).getBytes(StandardCharsets.UTF_8),
                "application/json"))
        .join();
    CoreAppSender.create(h.transport)
        .send(Harness.SHIPMENTS_QUEUE, "ship-1", new ShipOrder("o-1", "1 Main St"))
        .join();
    Drain.untilIdle(p, h.transport);

    assertThat(calls).hasValue(1);
    assertThat(h.transport.queued(h.transport.deadLetterDestination(Harness.SHIPMENTS_QUEUE)))
        .isEqualTo(1);
    assertThat(h.partnerSaw).hasSize(1);
  }
}
