package dev.postoffice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FaultInjectingTransportTest {
  private static final Duration PATIENCE = Duration.ofSeconds(10);
  private static final String DEST = "orders";

  private final InMemoryTransport memory = InMemoryTransport.builder().maxDeliveries(100).build();

  @AfterEach
  void close() {
    memory.close();
  }

  private static OutboundMessage message(int i) {
    return new OutboundMessage(
        "m-" + i, Map.of(), ("body " + i).getBytes(StandardCharsets.UTF_8), "text/plain");
  }

  private static List<Boolean> failures(FaultInjectingTransport t, int n) throws Exception {
    List<Boolean> failed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      CompletableFuture<Void> f = t.publish(DEST, message(i));
      try {
        f.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        failed.add(false);
      } catch (ExecutionException e) {
        failed.add(true);
      }
    }
    return failed;
  }

  @Nested
  @DisplayName("with no faults configured")
  class NoFaults {
    @Test
    @DisplayName("passes every message through once")
    void passesThrough() throws Exception {
      FaultInjectingTransport t = FaultInjectingTransport.builder(memory).build();
      t.declare(DEST);
      BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
      t.subscribe(
          DEST,
          m -> {
            got.add(m);
            return Disposition.ack();
          });
      assertThat(failures(t, 20)).containsOnly(false);
      assertThat(memory.awaitIdle(PATIENCE)).isTrue();
      assertThat(got).hasSize(20);
      assertThat(t.lostConfirms() + t.duplicates() + t.redeliveries()).isZero();
      assertThat(t.capabilities()).isEqualTo(memory.capabilities());
      assertThat(t.deadLetterDestination(DEST)).isEqualTo(memory.deadLetterDestination(DEST));
    }
  }

  @Nested
  @DisplayName("lost confirms")
  class LostConfirms {
    @Test
    @DisplayName("deliver the message but fail the publish with an InjectedFaultException")
    void deliveredButFailed() throws Exception {
      FaultInjectingTransport t =
          FaultInjectingTransport.builder(memory).lostConfirmRate(1.0).build();
      t.declare(DEST);
      assertThatThrownBy(
              () -> t.publish(DEST, message(1)).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS))
          .hasCauseInstanceOf(FaultInjectingTransport.InjectedFaultException.class)
          .hasMessageContaining("m-1");
      assertThat(memory.queued(DEST)).isEqualTo(1);
      assertThat(t.lostConfirms()).isEqualTo(1);
    }

    @Test
    @DisplayName("hit the same publishes again with the same seed")
    void deterministic() throws Exception {
      FaultInjectingTransport a =
          FaultInjectingTransport.builder(memory).seed(7).lostConfirmRate(0.3).build();
      a.declare(DEST);
      List<Boolean> first = failures(a, 50);
      InMemoryTransport other = InMemoryTransport.create();
      try {
        FaultInjectingTransport b =
            FaultInjectingTransport.builder(other).seed(7).lostConfirmRate(0.3).build();
        b.declare(DEST);
        assertThat(failures(b, 50)).isEqualTo(first);
      } finally {
        other.close();
      }
      assertThat(first).contains(true, false);
    }

    @Test
    @DisplayName("stop when faults are switched off")
    void switchedOff() throws Exception {
      FaultInjectingTransport t =
          FaultInjectingTransport.builder(memory).lostConfirmRate(1.0).build();
      t.declare(DEST);
      t.faultsEnabled(false);
      assertThat(failures(t, 5)).containsOnly(false);
      t.faultsEnabled(true);
      assertThat(failures(t, 5)).containsOnly(true);
    }
  }

  @Nested
  @DisplayName("duplicates")
  class Duplicates {
    @Test
    @DisplayName("publish a message twice with the same id")
    void twice() throws Exception {
      FaultInjectingTransport t =
          FaultInjectingTransport.builder(memory).duplicateRate(1.0).build();
      t.declare(DEST);
      t.publish(DEST, message(1)).get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
      BlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
      t.subscribe(
          DEST,
          m -> {
            got.add(m);
            return Disposition.ack();
          });
      assertThat(memory.awaitIdle(PATIENCE)).isTrue();
      assertThat(got).extracting(InboundMessage::messageId).containsExactly("m-1", "m-1");
      assertThat(t.duplicates()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("redeliveries")
  class Redeliveries {
    @Test
    @DisplayName(
        "bring handled messages again, marked redelivered, until an acknowledgement gets through")
    void again() throws Exception {
      FaultInjectingTransport t =
          FaultInjectingTransport.builder(memory).seed(3).redeliveryRate(0.5).build();
      t.declare(DEST);
      Map<String, Integer> handled = new HashMap<>();
      List<InboundMessage> redelivered = new ArrayList<>();
      t.subscribe(
          DEST,
          m -> {
            synchronized (handled) {
              handled.merge(m.messageId(), 1, Integer::sum);
              if (m.redelivered()) {
                redelivered.add(m);
              }
            }
            return Disposition.ack();
          });
      assertThat(failures(t, 20)).containsOnly(false);
      assertThat(memory.awaitIdle(PATIENCE)).isTrue();
      synchronized (handled) {
        assertThat(handled).hasSize(20);
        assertThat(handled.values().stream().mapToInt(Integer::intValue).sum())
            .isEqualTo(20 + t.redeliveries());
        assertThat(redelivered).hasSize(t.redeliveries());
      }
      assertThat(t.redeliveries()).isPositive();
      assertThat(memory.queued(memory.deadLetterDestination(DEST))).isZero();
    }
  }

  @Nested
  @DisplayName("the builder")
  class BuilderChecks {
    @Test
    @DisplayName("refuses rates outside 0.0 to 1.0, naming the property and the value")
    void rates() {
      FaultInjectingTransport.Builder b = FaultInjectingTransport.builder(memory);
      assertThatThrownBy(() -> b.lostConfirmRate(1.5))
          .hasMessage("lostConfirmRate must be between 0.0 and 1.0, but was 1.5");
      assertThatThrownBy(() -> b.duplicateRate(-0.1))
          .hasMessage("duplicateRate must be between 0.0 and 1.0, but was -0.1");
      assertThatThrownBy(() -> b.redeliveryRate(Double.NaN))
          .hasMessage("redeliveryRate must be between 0.0 and 1.0, but was NaN");
    }

    @Test
    @DisplayName("refuses a null delegate")
    void nullDelegate() {
      assertThatThrownBy(() -> FaultInjectingTransport.builder(null))
          .isInstanceOf(NullPointerException.class)
          .hasMessage("delegate cannot be null");
    }
  }
}
