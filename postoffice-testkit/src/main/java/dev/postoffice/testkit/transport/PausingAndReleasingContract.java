package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The promises of {@link Disposition#release} and {@link Subscription#pause()}: a put-back is never
 * a delivery attempt, and a paused subscription starts no handler call. {@link
 * dev.postoffice.testkit.transport.TransportContract} runs these in its {@code @Nested} group
 * "pausing and releasing".
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class PausingAndReleasingContract extends TransportContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected PausingAndReleasingContract(TransportFixture fixture) {
    super(fixture);
  }

  private static OutboundMessage prefixed(String prefix) {
    String id = prefix + "-" + UUID.randomUUID();
    return new OutboundMessage(
        id,
        Map.of(Transport.HEADER_TRACE_ID, "trace-" + id),
        ("body of " + id).getBytes(StandardCharsets.UTF_8),
        "application/json");
  }

  private InboundMessage next(BlockingQueue<InboundMessage> queue) throws InterruptedException {
    InboundMessage m = queue.poll(patience().toMillis(), TimeUnit.MILLISECONDS);
    assertThat(m).as("a delivery within %s", patience()).isNotNull();
    return m;
  }

  @Test
  @DisplayName(
      "a released message comes again, and however often it is released it is not dead-lettered:"
          + " only requeues count toward the maximum deliveries")
  void releasesDoNotCount() throws Exception {
    Assumptions.assumeTrue(
        releaseKeepsDeliveryCount(), "this transport counts a release as a delivery");
    String d = declared();
    int releases = maxDeliveries() + 2;
    List<InboundMessage> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    subscribe(
        d,
        m -> {
          seen.add(m);
          return seen.size() <= releases
              ? Disposition.release("store unavailable")
              : Disposition.requeue("broken");
        });
    BlockingQueue<InboundMessage> dead = new LinkedBlockingQueue<>();
    subscribe(
        transport.deadLetterDestination(d),
        m -> {
          dead.add(m);
          return Disposition.ack();
        });
    OutboundMessage m = prefixed("released");
    publish(d, m);

    InboundMessage dl = next(dead);
    assertThat(dl.messageId()).isEqualTo(m.messageId());
    assertThat(dl.body()).isEqualTo(m.body());
    synchronized (seen) {
      assertThat(seen).extracting(InboundMessage::messageId).containsOnly(m.messageId());
      assertThat(seen.size())
          .as(
              "deliveries: %s releases, then requeues up to the maximum of %s",
              releases, maxDeliveries())
          .isBetween(releases + maxDeliveries(), releases + maxDeliveries() + 1);
      if (transport.capabilities().deliveryCount()) {
        assertThat(seen.subList(0, releases + 1))
            .as("delivery counts up to the first requeue")
            .extracting(InboundMessage::deliveryCount)
            .containsOnly(1);
      }
    }
  }

  @Test
  @DisplayName(
      "a paused subscription starts no handler call until resumed, then gets what waited, not"
          + " counted as delivered; pause and resume are idempotent")
  void pausedTakesNothing() throws Exception {
    String d = declared();
    BlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
    Subscription s =
        subscribe(
            d,
            m -> {
              received.add(m);
              return Disposition.ack();
            });
    s.pause();
    s.pause();
    OutboundMessage m = prefixed("waiting");
    publish(d, m);
    assertThat(received.poll(quietPeriod().toMillis(), TimeUnit.MILLISECONDS))
        .as("a delivery while paused")
        .isNull();

    s.resume();
    s.resume();
    InboundMessage in = next(received);
    assertThat(in.messageId()).isEqualTo(m.messageId());
    if (transport.capabilities().deliveryCount()
        && releaseKeepsDeliveryCount()
        && pauseKeepsDeliveryCount()) {
      assertThat(in.deliveryCount())
          .as("a poll in flight may have taken it and released it")
          .isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "a handler that pauses its own subscription and releases gets no new call until resumed;"
          + " then every message comes again, none counted as delivered")
  void handlerPausesAndReleases() throws Exception {
    pauseFromHandler(false);
  }

  @Test
  @DisplayName(
      "a batch handler that pauses its own subscription and releases gets no new call until resumed;"
          + " then every message comes again, none counted as delivered")
  void batchHandlerPausesAndReleases() throws Exception {
    pauseFromHandler(true);
  }

  private void pauseFromHandler(boolean batch) throws Exception {
    String d = declared();
    AtomicReference<Subscription> subscription = new AtomicReference<>();
    java.util.concurrent.CountDownLatch pauseReturned = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicLong pausedAt =
        new java.util.concurrent.atomic.AtomicLong(Long.MAX_VALUE);
    AtomicBoolean resuming = new AtomicBoolean();
    AtomicInteger callsWhilePaused = new AtomicInteger();
    AtomicInteger calls = new AtomicInteger();
    BlockingQueue<InboundMessage> acked = new LinkedBlockingQueue<>();
    List<InboundMessage> all = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.function.Function<InboundMessage, Disposition> decide =
        m -> {
          all.add(m);
          if (resuming.get()) {
            acked.add(m);
            return Disposition.ack();
          }
          subscription.get().pause();
          pausedAt.compareAndSet(Long.MAX_VALUE, System.nanoTime());
          pauseReturned.countDown();
          return Disposition.release("store unavailable");
        };
    java.util.function.Consumer<Integer> started =
        n -> {
          calls.addAndGet(n);
          // A call the transport started just before pause() returned may begin a moment after:
          // only a call
          // beginning well after it is one the subscription should not have started.
          long at = pausedAt.get();
          if (at != Long.MAX_VALUE
              && System.nanoTime() - at > TimeUnit.MILLISECONDS.toNanos(100)
              && !resuming.get()) {
            callsWhilePaused.incrementAndGet();
          }
        };
    MessageHandler handler =
        batch
            ? (BatchMessageHandler)
                messages -> {
                  started.accept(messages.size());
                  List<Disposition> out = new ArrayList<>();
                  messages.forEach(m -> out.add(decide.apply(m)));
                  return out;
                }
            : m -> {
              started.accept(1);
              return decide.apply(m);
            };
    subscription.set(subscribe(d, handler));
    List<OutboundMessage> messages = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      messages.add(prefixed("held-" + i));
    }
    for (OutboundMessage m : messages) {
      publish(d, m);
    }
    assertThat(pauseReturned.await(patience().toMillis(), TimeUnit.MILLISECONDS))
        .as("the handler was called and paused within %s", patience())
        .isTrue();
    InboundMessage none = acked.poll(quietPeriod().toMillis(), TimeUnit.MILLISECONDS);
    assertThat(none).isNull();
    assertThat(callsWhilePaused).as("handler calls started after pause() returned").hasValue(0);

    resuming.set(true);
    subscription.get().resume();
    Map<String, InboundMessage> done = new HashMap<>();
    while (done.size() < messages.size()) {
      InboundMessage m = next(acked);
      done.putIfAbsent(m.messageId(), m);
    }
    assertThat(done.keySet())
        .containsExactlyInAnyOrderElementsOf(
            messages.stream().map(OutboundMessage::messageId).toList());
    if (transport.capabilities().deliveryCount()
        && releaseKeepsDeliveryCount()
        && pauseKeepsDeliveryCount()) {
      synchronized (all) {
        assertThat(done.values())
            .as("delivery counts when acknowledged; all deliveries: %s", all)
            .extracting(InboundMessage::deliveryCount)
            .containsOnly(1);
      }
    }
  }

  @Test
  @DisplayName("a paused subscription can be closed, and what waited goes to another subscriber")
  void closeWhilePaused() throws Exception {
    String d = declared();
    Subscription s = subscribe(d, m -> Disposition.ack());
    s.pause();
    OutboundMessage m = prefixed("handed-over");
    publish(d, m);
    s.close();
    BlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
    subscribe(
        d,
        in -> {
          received.add(in);
          return Disposition.ack();
        });
    assertThat(next(received).messageId()).isEqualTo(m.messageId());
  }
}
