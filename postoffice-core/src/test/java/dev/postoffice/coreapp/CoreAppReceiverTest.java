package dev.postoffice.coreapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.postoffice.RejectedInputException;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.codec.AckMessages;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.model.EntryId;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.ReceiptLog;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

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
    return new InboundMessage(
        id,
        Map.of(Transport.HEADER_TRACE_ID, "t-1"),
        json.getBytes(StandardCharsets.UTF_8),
        "application/json",
        1,
        false);
  }

  private CoreAppReceiver<Line> receiver(CoreMessageHandler<Line> handler) {
    transport.declare("core.lines");
    transport.declare("postoffice-acks");
    return CoreAppReceiver.builder(transport, receipts, Line.class)
        .from("core.lines")
        .handler(handler)
        .build();
  }

  @Test
  @DisplayName(
      "runs the handler once when a copy arrives while the first delivery is still being handled")
  void copyWaitsForTheFirst() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    CoreAppReceiver<Line> receiver =
        receiver(
            (line, ctx) -> {
              runs.incrementAndGet();
              inHandler.countDown();
              release.await();
            });
    CompletableFuture<Disposition> first =
        CompletableFuture.supplyAsync(() -> receiver.receive(message("m-1", "{\"sku\":\"a\"}")));
    assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Disposition> copy =
        CompletableFuture.supplyAsync(() -> receiver.receive(message("m-1", "{\"sku\":\"a\"}")));
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo(Disposition.ack());
    assertThat(copy.get(5, TimeUnit.SECONDS)).isEqualTo(Disposition.ack());
    assertThat(runs).hasValue(1);
    assertThat(transport.queued("postoffice-acks"))
        .as("each delivery is acknowledged to PostOffice")
        .isEqualTo(2);
  }

  @Test
  @DisplayName(
      "puts the trace id in the handler's MDC and gives it the traceparent, then restores the host's"
          + " MDC value")
  void traceContext() {
    List<String> seen = new CopyOnWriteArrayList<>();
    CoreAppReceiver<Line> receiver =
        receiver(
            (line, ctx) -> {
              seen.add(MDC.get("traceId"));
              seen.add(ctx.traceparent().orElse("none"));
              seen.add(ctx.tracestate().orElse("none"));
            });
    String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    InboundMessage traced =
        new InboundMessage(
            "m-1",
            Map.of(
                Transport.HEADER_TRACE_ID,
                "4bf92f3577b34da6a3ce929d0e0e4736",
                "traceparent",
                traceparent,
                "tracestate",
                "rojo=1"),
            "{\"sku\":\"a\"}".getBytes(StandardCharsets.UTF_8),
            "application/json",
            1,
            false);
    MDC.put("traceId", "host-trace");
    try {
      assertThat(receiver.receive(traced)).isEqualTo(Disposition.ack());
      assertThat(MDC.get("traceId")).isEqualTo("host-trace");
      MDC.remove("traceId");
      receiver.receive(message("m-2", "{\"sku\":\"b\"}"));
      assertThat(MDC.get("traceId")).isNull();
    } finally {
      MDC.remove("traceId");
    }
    assertThat(seen)
        .containsExactly(
            "4bf92f3577b34da6a3ce929d0e0e4736", traceparent, "rojo=1", "t-1", "none", "none");
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
  @DisplayName(
      "dead-letters what it cannot decode or the core rejects, and requeues a handler failure")
  void failures() {
    CoreAppReceiver<Line> receiver =
        receiver(
            (line, ctx) -> {
              if (line.sku().equals("bad")) {
                throw new RejectedInputException("unknown sku bad");
              }
              throw new IllegalStateException("database down");
            });
    assertThat(receiver.receive(message("m-1", "not json")).kind())
        .isEqualTo(Disposition.Kind.DEAD_LETTER);
    assertThat(receiver.receive(message("m-2", "{\"sku\":\"bad\"}")))
        .isEqualTo(Disposition.deadLetter("rejected by the Core App: unknown sku bad"));
    assertThat(receiver.receive(message("m-3", "{\"sku\":\"ok\"}")).kind())
        .isEqualTo(Disposition.Kind.REQUEUE);
    assertThat(receipts.isHandled("core.lines", "m-3")).isFalse();
  }

  @Test
  @DisplayName(
      "tells PostOffice, with a negative acknowledgement and the reason, about a message it refuses"
          + " (issue 16, defect 4)")
  void refusalIsToldBack() {
    CoreAppReceiver<Line> receiver =
        receiver(
            (line, ctx) -> {
              throw new RejectedInputException("unknown sku " + line.sku());
            });

    assertThat(
            receiver.receiveAll(
                List.of(message("m-1", "{\"sku\":\"bad\"}"), message("m-2", "not json"))))
        .extracting(Disposition::kind)
        .containsOnly(Disposition.Kind.DEAD_LETTER);

    List<AckMessages.Rejection> told = new CopyOnWriteArrayList<>();
    try (Subscription s =
        transport.subscribe(
            "postoffice-acks",
            m -> {
              told.add(AckMessages.readRejection(m));
              return Disposition.ack();
            })) {
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> told.size() == 2);
    }
    assertThat(told).extracting(r -> r.entryId().value()).containsExactly("m-1", "m-2");
    assertThat(told.get(0).reason()).isEqualTo("unknown sku bad");
    assertThat(told.get(1).reason()).startsWith("undecodable: ");
  }

  /** A receipt log that counts its calls and can be told to fail batch marks. */
  private static final class CountingLog implements ReceiptLog {
    final InMemoryReceiptLog delegate = InMemoryReceiptLog.create();
    final AtomicInteger singleReads = new AtomicInteger();
    final AtomicInteger batchReads = new AtomicInteger();
    final AtomicInteger singleMarks = new AtomicInteger();
    final AtomicInteger batchMarks = new AtomicInteger();
    volatile boolean failBatchMarks;

    @Override
    public boolean isHandled(String consumer, String messageId) {
      singleReads.incrementAndGet();
      return delegate.isHandled(consumer, messageId);
    }

    @Override
    public void markHandled(String consumer, String messageId, Instant at) {
      singleMarks.incrementAndGet();
      delegate.markHandled(consumer, messageId, at);
    }

    @Override
    public Set<String> handledAmong(String consumer, Collection<String> messageIds) {
      batchReads.incrementAndGet();
      return delegate.handledAmong(consumer, messageIds);
    }

    @Override
    public void markAllHandled(String consumer, Collection<String> messageIds, Instant at) {
      batchMarks.incrementAndGet();
      if (failBatchMarks) {
        throw new IllegalStateException("statement too large");
      }
      delegate.markAllHandled(consumer, messageIds, at);
    }
  }

  private CoreAppReceiver<Line> receiver(ReceiptLog log, CoreMessageHandler<Line> handler) {
    transport.declare("core.lines");
    transport.declare("postoffice-acks");
    return CoreAppReceiver.builder(transport, log, Line.class)
        .from("core.lines")
        .handler(handler)
        .build();
  }

  @Test
  @DisplayName(
      "reads and marks the receipt log once per delivered batch, handling each new message once")
  void batchTouchesTheLogTwice() {
    CountingLog log = new CountingLog();
    log.delegate.markHandled("core.lines", "m-2", Instant.now());
    List<String> handled = new ArrayList<>();
    CoreAppReceiver<Line> receiver =
        receiver(
            log,
            (line, ctx) -> {
              if (line.sku().equals("boom")) {
                throw new IllegalStateException("core database down");
              }
              handled.add(ctx.messageId());
            });
    List<Disposition> out =
        receiver.receiveAll(
            List.of(
                message("m-1", "{\"sku\":\"a\"}"),
                message("m-2", "{\"sku\":\"b\"}"),
                message("m-3", "{\"sku\":\"boom\"}"),
                message("m-4", "not json"),
                message("m-1", "{\"sku\":\"a\"}"),
                message("m-5", "{\"sku\":\"c\"}")));

    assertThat(out)
        .extracting(Disposition::kind)
        .containsExactly(
            Disposition.Kind.ACK,
            Disposition.Kind.ACK,
            Disposition.Kind.REQUEUE,
            Disposition.Kind.DEAD_LETTER,
            Disposition.Kind.ACK,
            Disposition.Kind.ACK);
    assertThat(handled)
        .as("m-2 was handled before; m-1's repeat in the batch finds it handled")
        .containsExactly("m-1", "m-5");
    assertThat(log.batchReads).hasValue(1);
    assertThat(log.batchMarks).hasValue(1);
    assertThat(log.singleReads).as("only the repeat of m-1 is read on its own").hasValue(1);
    assertThat(log.singleMarks).hasValue(0);
    assertThat(log.delegate.handledAmong("core.lines", List.of("m-1", "m-3", "m-4", "m-5")))
        .containsExactlyInAnyOrder("m-1", "m-5");
    assertThat(acknowledged())
        .as("one acknowledgement naming each handled message once")
        .containsExactly(List.of("m-1", "m-2", "m-5"));
  }

  /**
   * Takes the acknowledgement messages waiting in the ack queue: the message ids each one names.
   */
  private List<List<String>> acknowledged() {
    List<List<String>> out = new CopyOnWriteArrayList<>();
    int waiting = transport.queued("postoffice-acks");
    try (Subscription s =
        transport.subscribe(
            "postoffice-acks",
            m -> {
              out.add(AckMessages.read(m).stream().map(EntryId::value).toList());
              return Disposition.ack();
            })) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (out.size() < waiting && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
    }
    return out;
  }

  @Test
  @DisplayName(
      "marks one by one when the batch mark fails, so only what could not be marked runs again")
  void batchMarkFailureFallsBack() {
    CountingLog log = new CountingLog();
    log.failBatchMarks = true;
    AtomicInteger runs = new AtomicInteger();
    CoreAppReceiver<Line> receiver = receiver(log, (line, ctx) -> runs.incrementAndGet());
    List<Disposition> out =
        receiver.receiveAll(
            List.of(message("m-1", "{\"sku\":\"a\"}"), message("m-2", "{\"sku\":\"b\"}")));

    assertThat(out).containsOnly(Disposition.ack());
    assertThat(log.singleMarks).hasValue(2);
    assertThat(receiver.receiveAll(List.of(message("m-1", "{\"sku\":\"a\"}"))))
        .containsOnly(Disposition.ack());
    assertThat(runs).hasValue(2);
  }

  @Test
  @DisplayName(
      "a copy in another thread's batch waits for the first delivery and does not run the handler again")
  void copyInAnotherBatchWaits() throws Exception {
    CountDownLatch inHandler = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    CoreAppReceiver<Line> receiver =
        receiver(
            (line, ctx) -> {
              runs.incrementAndGet();
              if (ctx.messageId().equals("m-1")) {
                inHandler.countDown();
                release.await();
              }
            });
    CompletableFuture<List<Disposition>> first =
        CompletableFuture.supplyAsync(
            () -> receiver.receiveAll(List.of(message("m-1", "{\"sku\":\"a\"}"))));
    assertThat(inHandler.await(5, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<List<Disposition>> second =
        CompletableFuture.supplyAsync(
            () ->
                receiver.receiveAll(
                    List.of(message("m-2", "{\"sku\":\"b\"}"), message("m-1", "{\"sku\":\"a\"}"))));
    // m-2 is handled while m-1's copy waits for the first delivery.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (runs.get() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(second).isNotDone();
    release.countDown();

    assertThat(first.get(5, TimeUnit.SECONDS)).containsExactly(Disposition.ack());
    assertThat(second.get(5, TimeUnit.SECONDS))
        .containsExactly(Disposition.ack(), Disposition.ack());
    assertThat(runs).hasValue(2);
  }

  /** Captures what the receiver logs. */
  private static ListAppender<ILoggingEvent> captureLog() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(CoreAppReceiver.class))
        .addAppender(appender);
    return appender;
  }

  private static void stopCapture(ListAppender<ILoggingEvent> appender) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(CoreAppReceiver.class))
        .detachAppender(appender);
  }

  private static List<InboundMessage> fiveLines() {
    List<InboundMessage> batch = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      batch.add(message("m-" + i, "{\"sku\":\"s" + i + "\"}"));
    }
    return batch;
  }

  @Test
  @DisplayName(
      "an Error in one handler of a batch (issue 16, defect 3): the messages handled before and after it"
          + " stay handled, the Error is logged at ERROR with the message id, and only its message comes again")
  void errorInOneHandlerKeepsTheOthersHandled() {
    Map<String, AtomicInteger> runs = new java.util.concurrent.ConcurrentHashMap<>();
    AtomicBoolean broken = new AtomicBoolean(true);
    CoreAppReceiver<Line> receiver =
        receiver(
            (line, ctx) -> {
              runs.computeIfAbsent(ctx.messageId(), k -> new AtomicInteger()).incrementAndGet();
              if (ctx.messageId().equals("m-3") && broken.get()) {
                throw new AssertionError("core invariant broken for s3");
              }
            });
    ListAppender<ILoggingEvent> logged = captureLog();
    List<Disposition> first;
    try {
      first = receiver.receiveAll(fiveLines());
    } catch (Throwable e) {
      first = null; // the Error escaped the receiver: what the broker does next is the transport's
      // guess
    } finally {
      stopCapture(logged);
    }
    broken.set(false);
    List<Disposition> redelivered = receiver.receiveAll(fiveLines());

    assertThat(redelivered).containsOnly(Disposition.ack());
    assertThat(runs)
        .as("handler runs per message over both deliveries")
        .containsOnlyKeys("m-1", "m-2", "m-3", "m-4", "m-5");
    assertThat(runs.get("m-1")).hasValue(1);
    assertThat(runs.get("m-2")).hasValue(1);
    assertThat(runs.get("m-3")).hasValue(2);
    assertThat(runs.get("m-4")).hasValue(1);
    assertThat(runs.get("m-5")).hasValue(1);
    assertThat(logged.list)
        .filteredOn(e -> e.getLevel() == Level.ERROR)
        .extracting(ILoggingEvent::getFormattedMessage)
        .singleElement()
        .asString()
        .contains("m-3")
        .contains("AssertionError");
    assertThat(first)
        .as("the Error stays inside the receiver; only its message is delivered again")
        .extracting(Disposition::kind)
        .containsExactly(
            Disposition.Kind.ACK,
            Disposition.Kind.ACK,
            Disposition.Kind.REQUEUE,
            Disposition.Kind.ACK,
            Disposition.Kind.ACK);
  }

  /**
   * A receipt log whose database is unreachable until a moment, then answers: each call fails until
   * then.
   */
  private static final class UnreachableUntil implements ReceiptLog {
    final InMemoryReceiptLog delegate = InMemoryReceiptLog.create();
    final AtomicInteger refused = new AtomicInteger();
    private final long upAtNanos;

    UnreachableUntil(Duration outage) {
      this.upAtNanos = System.nanoTime() + outage.toNanos();
    }

    private void check() {
      if (System.nanoTime() < upAtNanos) {
        refused.incrementAndGet();
        throw new StoreUnavailableException("connection refused (receipt log database down)", null);
      }
    }

    @Override
    public boolean isHandled(String consumer, String messageId) {
      check();
      return delegate.isHandled(consumer, messageId);
    }

    @Override
    public void markHandled(String consumer, String messageId, Instant at) {
      check();
      delegate.markHandled(consumer, messageId, at);
    }
  }

  @Test
  @DisplayName(
      "holds a delivery with growing pauses while its receipt log is unreachable (issue 16, defect 1):"
          + " the message is handled once when the log is back, never dead-lettered")
  void unreachableReceiptLogHoldsTheDelivery() {
    UnreachableUntil down = new UnreachableUntil(Duration.ofMillis(700));
    AtomicInteger runs = new AtomicInteger();
    CoreAppReceiver<Line> receiver = receiver(down, (line, ctx) -> runs.incrementAndGet()).start();
    try {
      transport
          .publish(
              "core.lines",
              new OutboundMessage(
                  "m-1",
                  Map.of(),
                  "{\"sku\":\"a\"}".getBytes(StandardCharsets.UTF_8),
                  "application/json"))
          .join();

      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> transport.queued("postoffice-acks") == 1 || transport.queued(dlq()) > 0);
    } finally {
      receiver.close();
    }
    assertThat(transport.queued(dlq())).as("dead letters").isZero();
    assertThat(runs).hasValue(1);
    assertThat(down.delegate.isHandled("core.lines", "m-1")).isTrue();
    assertThat(down.refused.get())
        .as("the log was asked again with pauses, not in a tight loop")
        .isBetween(2, 12);
  }

  private String dlq() {
    return transport.deadLetterDestination("core.lines");
  }

  @Test
  @DisplayName(
      "refuses a transactional handler on a receipt log that has no transaction, naming the fix")
  void transactionalHandlerNeedsATransaction() {
    assertThatThrownBy(
            () ->
                CoreAppReceiver.builder(transport, receipts, Line.class)
                    .from("core.lines")
                    .handler(java.sql.Connection.class, (line, ctx, connection) -> {}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the receipt log InMemoryReceiptLog gives its handlers no transaction, not a"
                + " java.sql.Connection [Hint: use dev.postoffice.coreapp.jdbc.JdbcReceiptLog, whose transaction is a"
                + " java.sql.Connection]");
  }
}
