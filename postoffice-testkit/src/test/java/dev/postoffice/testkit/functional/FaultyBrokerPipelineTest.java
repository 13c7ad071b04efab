package dev.postoffice.testkit.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.testkit.EntryAssert;
import dev.postoffice.testkit.FaultInjectingTransport;
import dev.postoffice.testkit.MutableClock;
import dev.postoffice.testkit.PipelineDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Guarantee 2 (effectively once at the edges) under a misbehaving broker: lost confirms, duplicate
 * publishes and lost acknowledgements, seeded so a failure repeats. The core handler must see every
 * message exactly once and every entry must end Acknowledged.
 */
@DisplayName("A pipeline over a broker that loses confirms, duplicates and redelivers")
class FaultyBrokerPipelineTest {
  record Reading(String sensor, int value) {}

  @Test
  @DisplayName("still acknowledges every message, and the Core App handles each exactly once")
  void effectivelyOnce() {
    MutableClock clock = MutableClock.at(Instant.parse("2026-01-01T00:00:00Z"));
    InMemoryTransport broker = InMemoryTransport.builder().maxDeliveries(50).build();
    FaultInjectingTransport faulty =
        FaultInjectingTransport.builder(broker)
            .seed(11)
            .lostConfirmRate(0.2)
            .duplicateRate(0.1)
            .redeliveryRate(0.1)
            .build();
    InMemoryStatusStore store = InMemoryStatusStore.create();
    JacksonCodec codec = JacksonCodec.create();
    Pipeline pipeline =
        PostOffice.builder()
            .nodeId("node-1")
            .store(store)
            .transport(faulty)
            .clock(clock)
            .manualScheduling()
            .route(
                Route.upstream("sensors")
                    .normalize(Reading.class, raw -> codec.decode(raw.payload(), Reading.class))
                    .translate(Reading.class, reading -> List.of(reading))
                    .publishTo("core.readings")
                    .settings(RouteSettings.builder().ackTimeout(Duration.ofMinutes(1)).build())
                    .build())
            .build()
            .start();
    Map<String, AtomicInteger> handled = new ConcurrentHashMap<>();
    CoreAppReceiver<Reading> receiver =
        CoreAppReceiver.builder(faulty, InMemoryReceiptLog.create(), Reading.class)
            .from("core.readings")
            .clock(clock)
            .handler(
                (reading, ctx) ->
                    handled
                        .computeIfAbsent(ctx.messageId(), k -> new AtomicInteger())
                        .incrementAndGet())
            .build()
            .start();
    PipelineDriver driver = PipelineDriver.of(pipeline, broker);

    for (int i = 0; i < 300; i++) {
      pipeline
          .intake("sensors")
          .submit(RawMessage.json("{\"sensor\":\"s-" + i + "\",\"value\":" + i + "}", null));
    }
    for (int round = 0; round < 30; round++) {
      driver.drain();
      clock.advance(
          Duration.ofMinutes(2)); // retries after lost confirms and republishes after lost acks
    }

    List<Entry> core = store.query(new EntryQuery(null, Layer.L4, Set.of(), null, 1000, false));
    assertThat(core)
        .hasSize(300)
        .allSatisfy(e -> EntryAssert.assertThatEntry(store, e.id()).hasStatus(Status.ACKNOWLEDGED));
    assertThat(handled).hasSize(300).allSatisfy((id, count) -> assertThat(count).hasValue(1));
    assertThat(faulty.lostConfirms()).isPositive();
    assertThat(faulty.duplicates()).isPositive();
    receiver.close();
    pipeline.close();
  }
}
