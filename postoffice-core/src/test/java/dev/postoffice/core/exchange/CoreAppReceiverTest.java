package dev.postoffice.core.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RejectedInputException;
import dev.postoffice.core.memory.InMemoryReceiptLog;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Core App receiver")
class CoreAppReceiverTest {
  record Line(String sku) {}

  private final InMemoryTransport transport = InMemoryTransport.create();
  private final InMemoryReceiptLog receipts = InMemoryReceiptLog.create();

  @AfterEach
  void tearDown() {
    transport.close();
  }

  private static InboundMessage message(String id, String json) {
    return new InboundMessage(id, Map.of(Transport.HEADER_TRACE_ID, "t-1"), json.getBytes(StandardCharsets.UTF_8),
        "application/json", 1, false);
  }

  private CoreAppReceiver<Line> receiver(CoreMessageHandler<Line> handler) {
    transport.declare("core.lines");
    transport.declare("postoffice-acks");
    return CoreAppReceiver.builder(transport, receipts, Line.class).from("core.lines").handler(handler).build();
  }

  @Test
  @DisplayName("runs the handler once when a copy arrives while the first delivery is still being handled")
  void copyWaitsForTheFirst() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    CoreAppReceiver<Line> receiver = receiver((line, ctx) -> {
      runs.incrementAndGet();
      inHandler.countDown();
      release.await();
    });
    CompletableFuture<Disposition> first = CompletableFuture.supplyAsync(
        () -> receiver.receive(message("m-1", "{\"sku\":\"a\"}")));
    assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Disposition> copy = CompletableFuture.supplyAsync(
        () -> receiver.receive(message("m-1", "{\"sku\":\"a\"}")));
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(Disposition.ack());
    assertThat(copy.get(5, TimeUnit.SECONDS)).isEqualTo(Disposition.ack());
    assertThat(runs).hasValue(1);
    assertThat(transport.queued("postoffice-acks")).as("each delivery is acknowledged to PostOffice").isEqualTo(2);
  }

  @Test
  @DisplayName("acknowledges a message it handled before without running the handler again")
  void handledBefore() {
    AtomicInteger runs = new AtomicInteger();
    CoreAppReceiver<Line> receiver = receiver((line, ctx) -> runs.incrementAndGet());
    assertThat(receiver.receive(message("m-1", "{\"sku\":\"a\"}"))).isEqualTo(Disposition.ack());
    assertThat(receiver.receive(message("m-1", "{\"sku\":\"a\"}"))).isEqualTo(Disposition.ack());
    assertThat(runs).hasValue(1);
  }

  @Test
  @DisplayName("dead-letters what it cannot decode or the core rejects, and requeues a handler failure")
  void failures() {
    CoreAppReceiver<Line> receiver = receiver((line, ctx) -> {
      if (line.sku().equals("bad")) {
        throw new RejectedInputException("unknown sku bad");
      }
      throw new IllegalStateException("database down");
    });
    assertThat(receiver.receive(message("m-1", "not json")).kind()).isEqualTo(Disposition.Kind.DEAD_LETTER);
    assertThat(receiver.receive(message("m-2", "{\"sku\":\"bad\"}")))
        .isEqualTo(Disposition.deadLetter("rejected by the Core App: unknown sku bad"));
    assertThat(receiver.receive(message("m-3", "{\"sku\":\"ok\"}")).kind()).isEqualTo(Disposition.Kind.REQUEUE);
    assertThat(receipts.isHandled("core.lines", "m-3")).isFalse();
  }
}
