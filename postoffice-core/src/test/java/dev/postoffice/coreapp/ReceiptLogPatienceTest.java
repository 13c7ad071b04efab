package dev.postoffice.coreapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.ReceiptLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

@DisplayName("The Core App receiver's patience with an unreachable receipt log")
class ReceiptLogPatienceTest {
  record Line(String sku) {}

  private static final Duration PATIENCE = Duration.ofMillis(200);

  private InMemoryTransport transport;
  private final ch.qos.logback.classic.Logger receiverLog =
      (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(CoreAppReceiver.class);
  private ListAppender<ILoggingEvent> logged;
  private Level levelBefore;

  @BeforeEach
  void captureLog() {
    logged = new ListAppender<>();
    logged.start();
    levelBefore = receiverLog.getLevel();
    receiverLog.setLevel(Level.INFO); // the resume is logged at INFO
    receiverLog.addAppender(logged);
  }

  @AfterEach
  void tearDown() {
    receiverLog.detachAppender(logged);
    receiverLog.setLevel(levelBefore);
    if (transport != null) {
      transport.close();
    }
  }

  /**
   * A receipt log the test switches: while down, every call fails as unreachable, except that
   * {@code probesToLet} probes ({@link #isHandled}, which the receiver's probe asks) may answer
   * anyway, to make the receiver resume into a log that is still down for reads.
   */
  private static final class SwitchedLog implements ReceiptLog {
    final InMemoryReceiptLog delegate = InMemoryReceiptLog.create();
    final AtomicInteger readsRefused = new AtomicInteger();
    final AtomicInteger marksRefused = new AtomicInteger();
    final AtomicInteger probesRefused = new AtomicInteger();
    final AtomicInteger probesToLet = new AtomicInteger();
    volatile boolean readsDown;
    volatile boolean marksDown;

    private static StoreUnavailableException down() {
      return new StoreUnavailableException("connection refused (receipt log database down)", null);
    }

    @Override
    public boolean isHandled(String consumer, String messageId) {
      if (readsDown && probesToLet.getAndUpdate(n -> Math.max(0, n - 1)) == 0) {
        probesRefused.incrementAndGet();
        throw down();
      }
      return delegate.isHandled(consumer, messageId);
    }

    @Override
    public Set<String> handledAmong(String consumer, Collection<String> messageIds) {
      if (readsDown) {
        readsRefused.incrementAndGet();
        throw down();
      }
      return delegate.handledAmong(consumer, messageIds);
    }

    @Override
    public void markHandled(String consumer, String messageId, Instant at) {
      if (marksDown) {
        marksRefused.incrementAndGet();
        throw down();
      }
      delegate.markHandled(consumer, messageId, at);
    }
  }

  private CoreAppReceiver<Line> start(int maxDeliveries, ReceiptLog log, AtomicInteger runs) {
    transport = InMemoryTransport.builder().maxDeliveries(maxDeliveries).build();
    transport.declare("core.lines");
    transport.declare("postoffice-acks");
    return CoreAppReceiver.builder(transport, log, Line.class)
        .from("core.lines")
        .receiptLogPatience(PATIENCE)
        .handler((line, ctx) -> runs.incrementAndGet())
        .build()
        .start();
  }

  private void publish(String id) {
    transport
        .publish(
            "core.lines",
            new OutboundMessage(
                id,
                Map.of(),
                "{\"sku\":\"a\"}".getBytes(StandardCharsets.UTF_8),
                "application/json"))
        .join();
  }

  /** Waits for the acknowledgement to PostOffice and the broker's settlement of the delivery. */
  private void awaitAcknowledged() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(15))
        .until(() -> transport.queued("postoffice-acks") == 1);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(transport::isIdle);
  }

  private long logged(Level level, String containing) {
    return logged.list.stream()
        .filter(e -> e.getLevel() == level && e.getFormattedMessage().contains(containing))
        .count();
  }

  private String dlq() {
    return transport.deadLetterDestination("core.lines");
  }

  @Nested
  @DisplayName("while reading the log")
  class Reading {
    @Test
    @DisplayName(
        "gives the delivery back and pauses past its patience; handles it once when the log is back")
    void givesBackAndPauses() {
      SwitchedLog log = new SwitchedLog();
      log.readsDown = true;
      AtomicInteger runs = new AtomicInteger();
      CoreAppReceiver<Line> receiver = start(1, log, runs);
      try {
        publish("m-1");
        Awaitility.await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> logged(Level.WARN, "pausing consumption") == 1);
        // A long outage while paused: the probes fail, the message waits in its queue.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log.probesRefused.get() >= 5);
        assertThat(transport.queued("core.lines")).as("given back, waiting").isEqualTo(1);
        assertThat(log.readsRefused.get())
            .as("no read while paused: the subscription takes nothing")
            .isBetween(2, 6);
        assertThat(transport.queued(dlq())).as("dead letters").isZero();
        assertThat(runs).hasValue(0);

        log.readsDown = false;
        awaitAcknowledged();
      } finally {
        receiver.close();
      }
      assertThat(transport.queued(dlq())).as("dead letters, with maxDeliveries 1").isZero();
      assertThat(transport.queued("core.lines")).as("acknowledged").isZero();
      assertThat(runs).hasValue(1);
      assertThat(log.delegate.isHandled("core.lines", "m-1")).isTrue();
      assertThat(logged(Level.WARN, "pausing consumption")).isEqualTo(1);
      assertThat(logged(Level.INFO, "consumption resumed")).isEqualTo(1);
    }

    @Test
    @DisplayName(
        "gives the same message back outage after outage without it ever reaching the dead-letter"
            + " queue")
    void manyOutagesNeverDeadLetter() {
      SwitchedLog log = new SwitchedLog();
      log.readsDown = true;
      log.probesToLet.set(3); // three false recoveries: resumed, read refused again, paused again
      AtomicInteger runs = new AtomicInteger();
      CoreAppReceiver<Line> receiver = start(2, log, runs);
      try {
        publish("m-1");
        Awaitility.await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> logged(Level.WARN, "pausing consumption") == 4);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log.probesRefused.get() >= 1);
        assertThat(transport.queued(dlq())).as("dead letters").isZero();
        assertThat(runs).hasValue(0);

        log.readsDown = false;
        awaitAcknowledged();
      } finally {
        receiver.close();
      }
      assertThat(transport.queued(dlq())).as("dead letters, with maxDeliveries 2").isZero();
      assertThat(transport.queued("core.lines")).as("acknowledged").isZero();
      assertThat(runs).hasValue(1);
      assertThat(logged(Level.INFO, "consumption resumed")).isEqualTo(4);
    }
  }

  @Nested
  @DisplayName("while marking a handled message")
  class Marking {
    @Test
    @DisplayName("keeps holding past its patience, so the handler never runs twice")
    void keepsHolding() {
      SwitchedLog log = new SwitchedLog();
      log.marksDown = true;
      AtomicInteger runs = new AtomicInteger();
      CoreAppReceiver<Line> receiver = start(1, log, runs);
      try {
        publish("m-1");
        // 50 + 100 + 200 + 400 + 800 ms of pauses: well past the 200 ms patience.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> log.marksRefused.get() >= 6);
        assertThat(logged(Level.WARN, "pausing consumption")).as("not paused").isZero();
        assertThat(transport.queued("core.lines")).as("not given back").isZero();
        assertThat(transport.isIdle()).as("still held by the receiver").isFalse();
        assertThat(runs).hasValue(1);

        log.marksDown = false;
        awaitAcknowledged();
      } finally {
        receiver.close();
      }
      assertThat(transport.queued(dlq())).as("dead letters").isZero();
      assertThat(runs).hasValue(1);
      assertThat(log.delegate.isHandled("core.lines", "m-1")).isTrue();
      assertThat(logged(Level.WARN, "pausing consumption")).isZero();
    }
  }

  @Test
  @DisplayName("refuses a patience out of range, naming the bounds")
  void patienceInRange() {
    assertThatThrownBy(
            () ->
                CoreAppReceiver.builder(
                        InMemoryTransport.create(), InMemoryReceiptLog.create(), Line.class)
                    .receiptLogPatience(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("receiptLogPatience must be between PT0.001S and PT30M, but was PT0S");
  }
}
