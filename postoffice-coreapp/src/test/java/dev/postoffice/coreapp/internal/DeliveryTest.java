package dev.postoffice.coreapp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("A delivery of the Core App receiver")
class DeliveryTest {
  private static Delivery delivery(String id) {
    return Delivery.of(
            List.of(new InboundMessage(id, Map.of(), new byte[0], "application/json", 1, false)))
        .get(0);
  }

  @Nested
  @DisplayName("records its outcome")
  class Outcome {
    @Test
    @DisplayName(
        "a refused one dead-letters with the prefix and tells PostOffice the reason without it")
    void refused() {
      Delivery d = delivery("m-1");

      d.refuse("unknown sku");

      assertThat(d.isRefused()).isTrue();
      assertThat(d.isHandled()).isFalse();
      assertThat(d.refusal()).isEqualTo("unknown sku");
      assertThat(d.disposition())
          .isEqualTo(Disposition.deadLetter("rejected by the Core App: unknown sku"));
    }

    @Test
    @DisplayName("a refusal without a reason still counts as refused")
    void refusedWithoutReason() {
      Delivery d = delivery("m-1");

      d.refuse(null);

      assertThat(d.isRefused()).isTrue();
      assertThat(d.refusal()).isEqualTo("null");
    }

    @Test
    @DisplayName("a handled one awaits its acknowledgement, then is settled by it")
    void handled() {
      Delivery d = delivery("m-1");

      d.handled();

      assertThat(d.isHandled()).isTrue();
      assertThat(d.isRefused()).isFalse();
      assertThat(d.disposition()).isNull();
      d.settle(Disposition.ack());
      assertThat(d.disposition()).isEqualTo(Disposition.ack());
    }
  }

  @Nested
  @DisplayName("has a gate per message id")
  class Gates {
    private final DeliveryGates gates = new DeliveryGates();

    @Test
    @DisplayName("that one thread holds at a time")
    void oneAtATime() {
      DeliveryGates.Gate first = gates.tryTake("m-1");

      assertThat(first).isNotNull();
      assertThat(gates.tryTake("m-1")).isNull();
      assertThat(gates.tryTake("m-2")).isNotNull();
      gates.release(first);
      assertThat(gates.tryTake("m-1")).isNotNull();
    }

    @Test
    @DisplayName(
        "that a waiting thread takes once the holder releases it, keeping an interrupt for the end")
    void waitsThenTakes() throws Exception {
      DeliveryGates.Gate held = gates.tryTake("m-1");
      CompletableFuture<Boolean> interruptedAfter = new CompletableFuture<>();
      Thread waiter =
          new Thread(
              () -> {
                DeliveryGates.Gate gate = gates.take("m-1");
                boolean interruptedWhileHolding = Thread.currentThread().isInterrupted();
                gates.release(gate);
                interruptedAfter.complete(
                    !interruptedWhileHolding && Thread.currentThread().isInterrupted());
              });
      waiter.start();
      // Interrupted only once it waits in take(): the interrupt must not end the wait.
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> waiter.getState() == Thread.State.WAITING);
      waiter.interrupt();
      gates.release(held);

      assertThat(interruptedAfter.get(5, TimeUnit.SECONDS)).isTrue();
    }
  }
}
