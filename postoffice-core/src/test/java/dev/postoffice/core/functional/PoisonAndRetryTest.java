package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.PermanentFailureException;
import dev.postoffice.RawMessage;
import dev.postoffice.TransientFailureException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RetrySettings;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Intercepted;
import dev.postoffice.core.support.Models;
import dev.postoffice.model.Entry;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Transport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Failures")
class PoisonAndRetryTest {
  private final Harness h = new Harness();
  private final List<Pipeline> pipelines = new ArrayList<>();

  @AfterEach
  void tearDown() {
    pipelines.forEach(Pipeline::close);
    h.close();
  }

  private Pipeline start(
      String node,
      dev.postoffice.Translator<Models.AcmeOrder, Models.LineOrdered> translator,
      RouteSettings settings) {
    Pipeline p = h.pipeline(node).route(h.ordersRoute(translator, settings)).build().start();
    pipelines.add(p);
    return p;
  }

  private Entry l2Of(Pipeline p, IntakeReceipt receipt) {
    return p.operations().lineage(receipt.entryId()).descendants().stream()
        .filter(e -> e.layer() == Layer.L2)
        .findFirst()
        .orElseThrow();
  }

  @Nested
  @DisplayName("Bad input")
  class BadInput {
    @Test
    @DisplayName(
        "is rejected at once with a reason naming what was wrong, and the rest of the route carries on")
    void poisonDoesNotBlock() {
      Pipeline p = start("node-a", Harness::perLine, h.settings());
      h.startReceiver();
      List<IntakeReceipt> good = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        good.add(
            p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null)));
        if (i == 10) {
          p.intake(Harness.ORDERS)
              .submit(RawMessage.json("{\"orderId\": \"broken\", \"lines\": [", null));
        }
        if (i == 20) {
          p.intake(Harness.ORDERS)
              .submit(RawMessage.json("{\"customer\": \"no id\", \"lines\": []}", null));
        }
      }
      Drain.untilIdle(p, h.transport);

      assertThat(h.coreSaw).hasSize(30);
      List<Entry> rejected = p.operations().failed(Harness.ORDERS, 10);
      assertThat(rejected)
          .hasSize(2)
          .allSatisfy(
              e -> {
                assertThat(e.status()).isEqualTo(Status.REJECTED);
                assertThat(e.attempts()).isEqualTo(1);
              });
      assertThat(rejected)
          .extracting(Entry::lastError)
          .anySatisfy(error -> assertThat(error).startsWith("cannot decode AcmeOrder at line 1"));
      assertThat(rejected)
          .extracting(Entry::lastError)
          .contains("orderId is required, but was null");
    }

    @Test
    @DisplayName("is never retried automatically, however much time passes")
    void rejectedIsNotRetried() {
      Pipeline p = start("node-a", Harness::perLine, h.settings());
      IntakeReceipt bad = p.intake(Harness.ORDERS).submit(RawMessage.json("not json", null));
      Drain.untilIdle(p, h.transport);
      h.clock.advance(Duration.ofDays(2));
      Drain.untilIdle(p, h.transport);

      assertThat(h.store.history(bad.entryId()))
          .extracting(HistoryRecord::to)
          .containsExactly(Status.JUST_IN, Status.REJECTED);
    }

    @Test
    @DisplayName(
        "a translator output the codec could not read back is Rejected at once, naming the field and the"
            + " limit, not retried")
    void outputOverTheCodecLimit() {
      Pipeline p =
          start(
              "node-a",
              order -> List.of(new Models.LineOrdered(order.orderId(), "x".repeat(1_000_001), 1)),
              h.settings());
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
      Drain.untilIdle(p, h.transport);

      Entry l2 = l2Of(p, receipt);
      assertThat(l2.status()).isEqualTo(Status.REJECTED);
      assertThat(l2.attempts()).isEqualTo(1);
      assertThat(l2.lastError())
          .isEqualTo(
              "cannot encode LineOrdered (field sku): a string of 1000001 characters is"
                  + " over the codec's limit of 1000000 (JacksonCodec.DEFAULT_MAX_STRING_LENGTH); decoding would refuse it");
    }

    @Test
    @DisplayName(
        "a message the transport refuses as over its size limit ends its publish entry Rejected with the"
            + " transport's reason, tried once, not retried")
    void oversizedForTheTransport() {
      InMemoryTransport small = InMemoryTransport.builder().maxMessageBytes(40).build();
      Pipeline p =
          PostOffice.builder()
              .nodeId("node-a")
              .store(h.store)
              .transport(small)
              .clock(h.clock)
              .manualScheduling()
              .route(h.ordersRoute(Harness::perLine, h.settings()))
              .build()
              .start();
      pipelines.add(p);
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
      Drain.untilIdle(p, small);
      h.clock.advance(Duration.ofHours(1));
      Drain.untilIdle(p, small);

      Entry l4 =
          p.operations().lineage(receipt.entryId()).descendants().stream()
              .filter(e -> e.layer() == Layer.L4)
              .findFirst()
              .orElseThrow();
      assertThat(l4.status()).isEqualTo(Status.REJECTED);
      assertThat(l4.attempts()).isEqualTo(1);
      assertThat(l4.lastError()).contains("more than the maxMessageBytes limit of 40 bytes");
      assertThat(h.store.history(l4.id()))
          .extracting(HistoryRecord::to)
          .containsExactly(Status.JUST_IN, Status.REJECTED);
      small.close();
    }
  }

  @Nested
  @DisplayName("Transient failures")
  class Transient {
    @Test
    @DisplayName("are retried at a persisted next attempt time, not before")
    void retriedWhenDue() {
      AtomicInteger calls = new AtomicInteger();
      Pipeline p =
          start(
              "node-a",
              order -> {
                if (calls.incrementAndGet() <= 2) {
                  throw new IllegalStateException("partner lookup timed out");
                }
                return Harness.perLine(order);
              },
              h.settings());
      h.startReceiver();
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-r", 1), null));
      Drain.untilIdle(p, h.transport);

      Entry l2 = l2Of(p, receipt);
      assertThat(l2.status()).isEqualTo(Status.RETRYING);
      assertThat(l2.nextAttemptAt()).isAfter(h.clock.instant());
      assertThat(l2.lastError())
          .isEqualTo("java.lang.IllegalStateException: partner lookup timed out");
      Drain.untilIdle(p, h.transport);
      assertThat(calls).hasValue(1);

      h.clock.advance(Duration.ofMinutes(5));
      Drain.untilIdle(p, h.transport);
      h.clock.advance(Duration.ofMinutes(5));
      Drain.untilIdle(p, h.transport);

      assertThat(h.store.history(l2.id()))
          .extracting(HistoryRecord::to)
          .containsExactly(Status.JUST_IN, Status.RETRYING, Status.RETRYING, Status.PROCESSED);
      assertThat(h.coreSaw).hasSize(1);
    }

    @Test
    @DisplayName(
        "wait what the partner asks (Retry-After) up to the route's longest back-off, even an absurd"
            + " one")
    void retryAfterCapped() {
      RouteSettings settings =
          h.settings().toBuilder()
              .retry(
                  RetrySettings.ofDefaults()
                      .withBackoff(Duration.ofSeconds(1), Duration.ofMinutes(5)))
              .build();
      Pipeline p =
          start(
              "node-a",
              order -> {
                throw new TransientFailureException(
                    "busy", Duration.ofSeconds(99_999_999_999_999_999L), null);
              },
              settings);
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-x", 1), null));
      Drain.untilIdle(p, h.transport);

      Entry waiting = l2Of(p, receipt);
      assertThat(waiting.status()).isEqualTo(Status.RETRYING);
      assertThat(waiting.nextAttemptAt()).isEqualTo(h.clock.instant().plus(Duration.ofMinutes(5)));
    }

    @Test
    @DisplayName("keep their retry schedule across an engine restart")
    void scheduleSurvivesRestart() {
      RouteSettings hourly =
          h.settings().toBuilder()
              .retry(
                  RetrySettings.ofDefaults()
                      .withBackoff(Duration.ofSeconds(1), Duration.ofHours(1)))
              .build();
      Pipeline first =
          start(
              "node-a",
              order -> {
                throw new TransientFailureException(
                    "core lookup down", Duration.ofMinutes(30), null);
              },
              hourly);
      IntakeReceipt receipt =
          first.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-s", 1), null));
      Drain.untilIdle(first, h.transport);
      Entry waiting = l2Of(first, receipt);
      assertThat(waiting.nextAttemptAt())
          .isAfterOrEqualTo(h.clock.instant().plus(Duration.ofMinutes(30)));
      first.close();

      Pipeline second = start("node-b", Harness::perLine, h.settings());
      h.startReceiver();
      h.clock.advance(Duration.ofMinutes(29));
      Drain.untilIdle(second, h.transport);
      assertThat(h.store.find(waiting.id()).orElseThrow().status()).isEqualTo(Status.RETRYING);

      h.clock.advance(Duration.ofMinutes(2));
      Drain.untilIdle(second, h.transport);
      assertThat(h.store.find(waiting.id()).orElseThrow().status()).isEqualTo(Status.PROCESSED);
      assertThat(h.coreSaw).hasSize(1);
    }

    @Test
    @DisplayName("end Failed after the route's maximum attempts, with the last error")
    void failAfterMaxAttempts() {
      RouteSettings settings =
          h.settings().toBuilder()
              .retry(RetrySettings.ofDefaults().withMaxAttempts(3).withJitter(0))
              .build();
      Pipeline p =
          start(
              "node-a",
              order -> {
                throw new IllegalStateException("always down");
              },
              settings);
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-f", 1), null));
      for (int i = 0; i < 6; i++) {
        Drain.untilIdle(p, h.transport);
        h.clock.advance(Duration.ofHours(1));
      }

      Entry l2 = l2Of(p, receipt);
      assertThat(l2.status()).isEqualTo(Status.FAILED);
      assertThat(l2.attempts()).isEqualTo(3);
      assertThat(l2.lastError())
          .isEqualTo("gave up after 3 attempt(s): java.lang.IllegalStateException: always down");
      assertThat(p.operations().failed(Harness.ORDERS, 10))
          .extracting(Entry::id)
          .containsExactly(l2.id());
    }

    @Test
    @DisplayName("that cannot pass by waiting fail at once")
    void permanentFailsAtOnce() {
      Pipeline p =
          start(
              "node-a",
              order -> {
                throw new PermanentFailureException("core has no customer c-1");
              },
              h.settings());
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-p", 1), null));
      Drain.untilIdle(p, h.transport);

      Entry l2 = l2Of(p, receipt);
      assertThat(l2.status()).isEqualTo(Status.FAILED);
      assertThat(l2.attempts()).isEqualTo(1);
    }
  }

  @Nested
  @DisplayName("A result the store refuses for good")
  class RefusedByTheStore {
    /**
     * The shared store, except that a commit carrying an output with "poison" in its payload fails
     * for good.
     */
    private StatusStore refusing(AtomicInteger refusals) {
      return refusing(refusals, "poison", () -> true);
    }

    /**
     * The same, refusing outputs with {@code marker} in their payload while {@code active} says so.
     */
    private StatusStore refusing(AtomicInteger refusals, String marker, BooleanSupplier active) {
      return Intercepted.around(
          StatusStore.class,
          h.store,
          (method, args, real) -> {
            if (method.getName().equals("commit") && active.getAsBoolean()) {
              @SuppressWarnings("unchecked")
              List<Completion> completions = (List<Completion>) args[0];
              boolean poisoned =
                  completions.stream()
                      .flatMap(c -> c.outputs().stream())
                      .anyMatch(o -> o.payload().asUtf8().contains(marker));
              if (poisoned) {
                refusals.incrementAndGet();
                throw new IllegalStateException(
                    "ERROR: invalid byte sequence for encoding \"UTF8\": 0x00");
              }
            }
            return real.call();
          });
    }

    @Test
    @DisplayName(
        "ends only the entry that causes it Failed, with the store's reason; its batch-mates commit"
            + " and nothing is worked on again")
    void isolated() {
      AtomicInteger refusals = new AtomicInteger();
      AtomicInteger translated = new AtomicInteger();
      Pipeline p =
          PostOffice.builder()
              .nodeId("node-a")
              .store(refusing(refusals))
              .transport(h.transport)
              .clock(h.clock)
              .manualScheduling()
              .route(
                  h.ordersRoute(
                      order -> {
                        translated.incrementAndGet();
                        return Harness.perLine(order);
                      },
                      h.settings()))
              .build()
              .start();
      pipelines.add(p);
      h.startReceiver();
      List<IntakeReceipt> receipts = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        String id = i == 7 ? "poison-7" : "o-" + i;
        receipts.add(
            p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson(id, 1), null)));
      }

      Drain.untilIdle(p, h.transport);
      h.clock.advance(
          Duration.ofHours(1)); // every lease long expired: nothing may be claimed again
      Drain.untilIdle(p, h.transport);

      assertThat(h.coreSaw).hasSize(19);
      Entry poisoned = h.store.find(receipts.get(7).entryId()).orElseThrow();
      assertThat(poisoned.status()).isEqualTo(Status.FAILED);
      assertThat(poisoned.lastError())
          .startsWith("the store refused to commit this entry's result")
          .contains("invalid byte sequence");
      assertThat(translated)
          .as("translator calls: the poisoned order never reached it, the others once")
          .hasValue(19);
      assertThat(refusals.get()).as("refused commits").isBetween(1, 10);
      for (int i = 0; i < 20; i++) {
        if (i != 7) {
          assertThat(h.store.find(receipts.get(i).entryId()).orElseThrow().status())
              .isEqualTo(Status.PROCESSED);
        }
      }
    }

    @Test
    @DisplayName(
        "fails nothing when the store refuses every entry (the store is failing, not an entry): they"
            + " wait for their leases and go through once it is fixed")
    void storeWideFailureFailsNothing() {
      AtomicInteger refusals = new AtomicInteger();
      AtomicBoolean broken = new AtomicBoolean(true);
      // Every L2 output refused, as a column missing for all of them would be, until it is fixed.
      StatusStore healing = refusing(refusals, "orderId", broken::get);
      Pipeline p =
          PostOffice.builder()
              .nodeId("node-a")
              .store(healing)
              .transport(h.transport)
              .clock(h.clock)
              .manualScheduling()
              .route(h.ordersRoute(Harness::perLine, h.settings()))
              .build()
              .start();
      pipelines.add(p);
      h.startReceiver();
      List<IntakeReceipt> receipts = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        receipts.add(
            p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-" + i, 1), null)));
      }

      assertThatThrownBy(p::runOnce).hasMessageContaining("invalid byte sequence");
      assertThat(receipts)
          .allSatisfy(
              r ->
                  assertThat(h.store.find(r.entryId()).orElseThrow().status())
                      .isEqualTo(Status.JUST_IN));

      broken.set(false);
      h.clock.advance(Duration.ofHours(1)); // the leases expire
      Drain.untilIdle(p, h.transport);
      assertThat(h.coreSaw).hasSize(10);
      assertThat(receipts)
          .allSatisfy(
              r ->
                  assertThat(h.store.find(r.entryId()).orElseThrow().status())
                      .isEqualTo(Status.PROCESSED));
    }
  }

  @Nested
  @DisplayName("A broker that is down")
  class BrokerDown {
    @Test
    @DisplayName(
        "is waited out however many attempts it takes: a publish is never given up (the Core App can"
            + " still take the message once the broker is back)")
    void publishNeverGivesUp() {
      AtomicInteger failuresLeft = new AtomicInteger(6);
      Transport flaky =
          Intercepted.around(
              Transport.class,
              h.transport,
              (method, args, real) -> {
                if (method.getName().startsWith("publish") && failuresLeft.getAndDecrement() > 0) {
                  CompletableFuture<Void> refused =
                      CompletableFuture.failedFuture(
                          new IllegalStateException("broker connection refused"));
                  return method.getName().equals("publish")
                      ? refused
                      : Collections.nCopies(((List<?>) args[1]).size(), refused);
                }
                return real.call();
              });
      RouteSettings settings =
          h.settings().toBuilder().retry(RetrySettings.ofDefaults().withMaxAttempts(3)).build();
      Pipeline p =
          PostOffice.builder()
              .nodeId("node-a")
              .store(h.store)
              .transport(flaky)
              .clock(h.clock)
              .manualScheduling()
              .route(h.ordersRoute(Harness::perLine, settings))
              .build()
              .start();
      pipelines.add(p);
      h.startReceiver();
      IntakeReceipt receipt =
          p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-b", 1), null));

      for (int i = 0; i < 10; i++) {
        Drain.untilIdle(p, h.transport);
        h.clock.advance(Duration.ofMinutes(15));
      }

      Entry l4 =
          p.operations().lineage(receipt.entryId()).descendants().stream()
              .filter(e -> e.layer() == Layer.L4)
              .findFirst()
              .orElseThrow();
      assertThat(l4.status()).isEqualTo(Status.ACKNOWLEDGED);
      assertThat(l4.attempts()).isGreaterThan(3);
      assertThat(h.store.history(l4.id()))
          .extracting(HistoryRecord::to)
          .doesNotContain(Status.FAILED);
      assertThat(h.coreSaw).hasSize(1);
    }
  }
}
