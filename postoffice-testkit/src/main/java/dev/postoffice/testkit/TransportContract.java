package dev.postoffice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.postoffice.RejectedInputException;
import dev.postoffice.spi.BatchMessageHandler;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Transport} passes. An implementation's test extends it and gives a factory,
 * plus the maximum deliveries it configured:
 *
 * <pre>{@code
 * class RabbitTransportContractIT extends TransportContract {
 *   @Override
 *   protected Transport createTransport() {
 *     return RabbitTransport.create(RabbitTransportSettings.builder().maxDeliveries(3).build());
 *   }
 * }
 * }</pre>
 *
 * <p>Every test uses destinations of its own ({@link #newDestination()}). Deliveries are awaited with
 * latches and queues that give up after {@link #patience()}; no test sleeps. What a transport declares it
 * cannot do ({@link dev.postoffice.spi.TransportCapabilities}) is skipped with a message.
 */
public abstract class TransportContract {
  /** The transport under test, fresh for each test. */
  protected Transport transport;

  private final List<Subscription> subscriptions = new ArrayList<>();

  /**
   * Returns a new transport to test, configured to dead-letter a message after {@link #maxDeliveries()}
   * deliveries. Called once per test.
   *
   * @return the transport
   */
  protected abstract Transport createTransport();

  /**
   * Closes the transport after a test. Override to delete the test's queues as well.
   *
   * @param t the transport
   */
  protected void closeTransport(Transport t) {
    t.close();
  }

  /**
   * Returns a destination name no other test uses.
   *
   * @return a random name
   */
  protected String newDestination() {
    return "contract-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /**
   * Returns how long to wait for an asynchronous delivery or confirmation. Defaults to 10 seconds.
   *
   * @return the patience
   */
  protected Duration patience() {
    return Duration.ofSeconds(10);
  }

  /**
   * Returns how long a test watches for something that must not happen, such as a delivery to a paused
   * subscription. Defaults to half a second.
   *
   * @return the quiet period
   */
  protected Duration quietPeriod() {
    return Duration.ofMillis(500);
  }

  /**
   * Whether a {@link Disposition#release released} message comes back with the delivery count it had, as the
   * SPI promises. Override to return false only for a broker that cannot put a message back without counting
   * it and keep its order (an SQS FIFO queue): the test of that promise is then skipped with a message.
   *
   * @return true by default
   */
  protected boolean releaseKeepsDeliveryCount() {
    return true;
  }

  /**
   * Whether a message caught in a {@link Subscription#pause() pause} (on its way to the consumer when it was
   * paused) comes back with the delivery count it had. Override to return false for a broker that counts
   * such a message as returned by the consumer (a RabbitMQ quorum queue): the pause tests then do not check
   * delivery counts.
   *
   * @return true by default
   */
  protected boolean pauseKeepsDeliveryCount() {
    return true;
  }

  /**
   * Returns the maximum deliveries the factory configured: a message requeued on that many deliveries is
   * dead-lettered (a broker may allow one more). Defaults to 3.
   *
   * @return the configured maximum
   */
  protected int maxDeliveries() {
    return 3;
  }

  @BeforeEach
  void createTheTransport() {
    transport = createTransport();
  }

  @AfterEach
  void closeTheTransport() {
    for (Subscription s : subscriptions) {
      try {
        s.close();
      } catch (RuntimeException e) {
        // closing twice or after the transport closed is allowed to complain
      }
    }
    if (transport != null) {
      closeTransport(transport);
    }
  }

  /**
   * Whether the transport hands a {@link BatchMessageHandler} several waiting messages in one call. Override
   * to return false for a transport that keeps calling it one message at a time (an SQS FIFO queue, to keep
   * each group's order); the batch tests then check only that every message is handled and settled.
   *
   * @return true by default
   */
  protected boolean batchesDeliveries() {
    return true;
  }

  // ---- fixtures -------------------------------------------------------------------------------------------

  private String declared() {
    String d = newDestination();
    transport.declare(d);
    return d;
  }

  private static OutboundMessage message(String id) {
    return new OutboundMessage(id, Map.of(Transport.HEADER_TRACE_ID, "trace-" + id, "x-custom", "value"),
        ("body of " + id).getBytes(StandardCharsets.UTF_8), "application/json");
  }

  private static OutboundMessage message() {
    return message(UUID.randomUUID().toString());
  }

  private void await(CompletableFuture<?> future) throws Exception {
    future.get(patience().toMillis(), TimeUnit.MILLISECONDS);
  }

  private void publish(String destination, OutboundMessage m) throws Exception {
    await(transport.publish(destination, m));
  }

  private Subscription subscribe(String destination, MessageHandler handler) {
    Subscription s = transport.subscribe(destination, handler);
    subscriptions.add(s);
    return s;
  }

  private Recorder recording(String destination, Function<InboundMessage, Disposition> decide) {
    Recorder r = new Recorder(decide);
    subscribe(destination, r);
    return r;
  }

  private Recorder acking(String destination) {
    return recording(destination, m -> Disposition.ack());
  }

  private boolean countsDeliveries() {
    return transport.capabilities().deliveryCount();
  }

  /** A handler that records what it is given and answers as told. */
  private final class Recorder implements MessageHandler {
    final BlockingQueue<InboundMessage> received = new LinkedBlockingQueue<>();
    final List<InboundMessage> all = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Function<InboundMessage, Disposition> decide;

    Recorder(Function<InboundMessage, Disposition> decide) {
      this.decide = decide;
    }

    @Override
    public Disposition handle(InboundMessage message) {
      all.add(message);
      received.add(message);
      return decide.apply(message);
    }

    InboundMessage next() throws InterruptedException {
      InboundMessage m = received.poll(patience().toMillis(), TimeUnit.MILLISECONDS);
      assertThat(m).as("a delivery within %s", patience()).isNotNull();
      return m;
    }

    /** Waits for a message with an id, returning what came before it too. */
    List<InboundMessage> until(String messageId) throws InterruptedException {
      List<InboundMessage> seen = new ArrayList<>();
      while (true) {
        InboundMessage m = next();
        seen.add(m);
        if (m.messageId().equals(messageId)) {
          return seen;
        }
      }
    }
  }

  // ---- tests ----------------------------------------------------------------------------------------------

  @Test
  @DisplayName("a transport states its capabilities")
  void statesCapabilities() {
    assertThat(transport.capabilities()).isNotNull();
    assertThat(transport.capabilities().maxMessageBytes()).isPositive();
  }

  @Nested
  @DisplayName("publishing")
  class Publishing {
    @Test
    @DisplayName("declare is idempotent")
    void declareTwice() throws Exception {
      String d = declared();
      transport.declare(d);
      OutboundMessage m = message();
      publish(d, m);
      Recorder r = acking(d);
      assertThat(r.next().messageId()).isEqualTo(m.messageId());
      OutboundMessage marker = message();
      publish(d, marker);
      assertThat(r.until(marker.messageId())).hasSize(1);
    }

    @Test
    @DisplayName("the dead-letter destination is another queue, and the same every time")
    void deadLetterName() {
      String d = declared();
      assertThat(transport.deadLetterDestination(d)).isNotEqualTo(d).isEqualTo(transport.deadLetterDestination(d));
    }

    @Test
    @DisplayName("a publish's future completes once the transport has the message")
    void completes() throws Exception {
      String d = declared();
      CompletableFuture<Void> f = transport.publish(d, message());
      await(f);
      assertThat(f).isCompleted();
      assertThat(f.isCompletedExceptionally()).isFalse();
    }

    @Test
    @DisplayName("publishAll returns one future per message, in order, each completing, and delivers them all")
    void publishAll() throws Exception {
      String d = declared();
      List<OutboundMessage> messages = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        messages.add(message("m-" + i + "-" + UUID.randomUUID()));
      }
      List<CompletableFuture<Void>> futures = transport.publishAll(d, messages);
      assertThat(futures).hasSize(messages.size());
      for (CompletableFuture<Void> f : futures) {
        await(f);
      }
      Recorder r = acking(d);
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < messages.size(); i++) {
        ids.add(r.next().messageId());
      }
      assertThat(ids).containsExactlyInAnyOrderElementsOf(messages.stream().map(OutboundMessage::messageId).toList());
    }

    @Test
    @DisplayName("a message published before anyone subscribes waits for a subscriber")
    void waitsForSubscriber() throws Exception {
      String d = declared();
      OutboundMessage m = message();
      publish(d, m);
      assertThat(acking(d).next().messageId()).isEqualTo(m.messageId());
    }

    @Test
    @DisplayName("a publish on a closed transport fails")
    void afterClose() {
      String d = declared();
      transport.close();
      assertThat(catchThrowable(() -> await(transport.publish(d, message())))).isNotNull();
    }
  }

  @Nested
  @DisplayName("oversized messages")
  class OversizedMessages {
    private int limit() {
      int max = transport.capabilities().maxMessageBytes();
      Assumptions.assumeTrue(max != Integer.MAX_VALUE, "the transport declares no message size limit");
      return max;
    }

    private OutboundMessage oversized(int max) {
      return new OutboundMessage("big-" + UUID.randomUUID(), Map.of(), new byte[max + 1], "application/octet-stream");
    }

    /** The exception a publish's future failed with (a publish must fail its future, not throw). */
    private Throwable failureOf(CompletableFuture<Void> future) {
      Throwable failure = catchThrowable(() -> await(future));
      assertThat(failure).as("the publish of an oversized message fails").isInstanceOf(ExecutionException.class);
      return failure.getCause();
    }

    @Test
    @DisplayName("a body larger than maxMessageBytes fails the publish with RejectedInputException naming the size"
        + " and the limit, so the entry is rejected rather than retried")
    void rejected() {
      int max = limit();
      String d = declared();
      Throwable cause = failureOf(transport.publish(d, oversized(max)));
      assertThat(cause).isInstanceOf(RejectedInputException.class)
          .hasMessageContaining(Integer.toString(max + 1)).hasMessageContaining(Integer.toString(max));
    }

    @Test
    @DisplayName("a body of exactly maxMessageBytes is published")
    void atTheLimit() throws Exception {
      int max = limit();
      Assumptions.assumeTrue(max <= 1024 * 1024, "the limit is too large to publish in a test: " + max);
      String d = declared();
      OutboundMessage m = new OutboundMessage("max-" + UUID.randomUUID(), Map.of(), new byte[max],
          "application/octet-stream");
      publish(d, m);
      InboundMessage got = acking(d).next();
      assertThat(got.messageId()).isEqualTo(m.messageId());
      assertThat(got.body()).hasSize(max);
    }

    @Test
    @DisplayName("publishAll fails only the oversized message's future, with RejectedInputException; the others"
        + " are delivered")
    void rejectedInBatch() throws Exception {
      int max = limit();
      String d = declared();
      OutboundMessage before = message();
      OutboundMessage after = message();
      List<CompletableFuture<Void>> futures = transport.publishAll(d, List.of(before, oversized(max), after));
      assertThat(futures).hasSize(3);
      await(futures.get(0));
      await(futures.get(2));
      assertThat(failureOf(futures.get(1))).isInstanceOf(RejectedInputException.class);
      Recorder r = acking(d);
      Set<String> ids = new HashSet<>(List.of(r.next().messageId(), r.next().messageId()));
      assertThat(ids).containsExactlyInAnyOrder(before.messageId(), after.messageId());
    }
  }

  @Nested
  @DisplayName("delivery")
  class Delivery {
    @Test
    @DisplayName("keeps the message id, headers, body and content type")
    void preserves() throws Exception {
      String d = declared();
      Recorder r = acking(d);
      OutboundMessage m = message();
      publish(d, m);

      InboundMessage in = r.next();
      assertThat(in.messageId()).isEqualTo(m.messageId());
      assertThat(in.headers()).containsAllEntriesOf(m.headers());
      assertThat(in.body()).isEqualTo(m.body());
      assertThat(in.contentType()).isEqualTo(m.contentType());
      assertThat(in.redelivered()).isFalse();
      if (countsDeliveries()) {
        assertThat(in.deliveryCount()).isEqualTo(1);
      }
    }

    @Test
    @DisplayName("delivers an empty body without headers")
    void empty() throws Exception {
      String d = declared();
      Recorder r = acking(d);
      OutboundMessage m = new OutboundMessage(UUID.randomUUID().toString(), Map.of(), new byte[0], "text/plain");
      publish(d, m);
      InboundMessage in = r.next();
      assertThat(in.body()).isEmpty();
      assertThat(in.contentType()).isEqualTo("text/plain");
    }

    @Test
    @DisplayName("delivers each of many acknowledged messages once")
    void many() throws Exception {
      String d = declared();
      Recorder r = acking(d);
      List<OutboundMessage> messages = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        messages.add(message());
      }
      for (CompletableFuture<Void> f : transport.publishAll(d, messages)) {
        await(f);
      }
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < messages.size(); i++) {
        ids.add(r.next().messageId());
      }
      assertThat(ids).doesNotHaveDuplicates().hasSize(messages.size());
    }

    @Test
    @DisplayName("an acknowledged message is not delivered again")
    void ackRemoves() throws Exception {
      String d = declared();
      Recorder r = acking(d);
      OutboundMessage m = message();
      publish(d, m);
      assertThat(r.next().messageId()).isEqualTo(m.messageId());
      OutboundMessage marker = message();
      publish(d, marker);
      assertThat(r.until(marker.messageId())).extracting(InboundMessage::messageId)
          .containsExactly(marker.messageId());
    }
  }

  @Nested
  @DisplayName("redelivery")
  class Redelivery {
    @Test
    @DisplayName("a requeued message comes again with the same id, marked redelivered")
    void requeue() throws Exception {
      String d = declared();
      Recorder r = recording(d, m -> m.redelivered() ? Disposition.ack() : Disposition.requeue("not yet"));
      OutboundMessage m = message();
      publish(d, m);

      InboundMessage first = r.next();
      InboundMessage second = r.next();
      assertThat(second.messageId()).isEqualTo(first.messageId()).isEqualTo(m.messageId());
      assertThat(second.redelivered()).isTrue();
      assertThat(second.body()).isEqualTo(m.body());
      assertThat(second.headers()).containsAllEntriesOf(m.headers());
    }

    @Test
    @DisplayName("the delivery count goes up with each delivery")
    void deliveryCount() throws Exception {
      Assumptions.assumeTrue(countsDeliveries(), "the transport does not report delivery counts");
      String d = declared();
      Recorder r = recording(d, m -> m.deliveryCount() < 2 ? Disposition.requeue("again") : Disposition.ack());
      publish(d, message());
      assertThat(r.next().deliveryCount()).isEqualTo(1);
      assertThat(r.next().deliveryCount()).isEqualTo(2);
    }

    @Test
    @DisplayName("a handler that throws gets the message again")
    void exceptionRequeues() throws Exception {
      String d = declared();
      Recorder r = recording(d, m -> {
        if (!m.redelivered()) {
          throw new IllegalStateException("handler broke");
        }
        return Disposition.ack();
      });
      OutboundMessage m = message();
      publish(d, m);
      assertThat(r.next().messageId()).isEqualTo(m.messageId());
      InboundMessage again = r.next();
      assertThat(again.messageId()).isEqualTo(m.messageId());
      assertThat(again.redelivered()).isTrue();
    }

    @Test
    @DisplayName("a message requeued on its last allowed delivery goes to the dead-letter queue")
    void tooManyRequeues() throws Exception {
      String d = declared();
      Recorder r = recording(d, m -> Disposition.requeue("still broken"));
      OutboundMessage m = message();
      publish(d, m);
      Recorder dead = acking(transport.deadLetterDestination(d));

      InboundMessage dl = dead.next();
      assertThat(dl.messageId()).isEqualTo(m.messageId());
      assertThat(dl.headers()).containsKey(Transport.HEADER_DEAD_LETTER_REASON);
      assertThat(r.all).extracting(InboundMessage::messageId).containsOnly(m.messageId());
      assertThat(r.all.size()).isBetween(maxDeliveries(), maxDeliveries() + 1);
    }
  }

  @Nested
  @DisplayName("dead letters")
  class DeadLetters {
    @Test
    @DisplayName("a dead-lettered message moves to the dead-letter queue with its id, headers and the reason")
    void deadLetter() throws Exception {
      String d = declared();
      Recorder r = recording(d, m -> m.messageId().startsWith("poison")
          ? Disposition.deadLetter("cannot parse") : Disposition.ack());
      Recorder dead = acking(transport.deadLetterDestination(d));
      OutboundMessage poison = message("poison-" + UUID.randomUUID());
      publish(d, poison);

      InboundMessage dl = dead.next();
      assertThat(dl.messageId()).isEqualTo(poison.messageId());
      assertThat(dl.body()).isEqualTo(poison.body());
      assertThat(dl.headers()).containsAllEntriesOf(poison.headers())
          .containsEntry(Transport.HEADER_DEAD_LETTER_REASON, "cannot parse");

      OutboundMessage marker = message();
      publish(d, marker);
      assertThat(r.until(marker.messageId())).extracting(InboundMessage::messageId)
          .containsExactly(poison.messageId(), marker.messageId());
    }
  }

  /** A batch handler that records each call's size and answers per message as told. */
  private final class BatchRecorder implements BatchMessageHandler {
    final Recorder inner;
    final List<Integer> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicBoolean failNextCall = new AtomicBoolean();

    BatchRecorder(Function<InboundMessage, Disposition> decide) {
      this.inner = new Recorder(decide);
    }

    @Override
    public List<Disposition> handleAll(List<InboundMessage> messages) {
      calls.add(messages.size());
      List<Disposition> out = new ArrayList<>();
      messages.forEach(m -> out.add(inner.handle(m)));
      if (failNextCall.getAndSet(false)) {
        throw new IllegalStateException("batch handler broke");
      }
      return out;
    }
  }

  @Nested
  @DisplayName("batch handlers")
  class BatchHandlers {
    @Test
    @DisplayName("get every message once, each settled as its own disposition says")
    void settlesEachAsTold() throws Exception {
      String d = declared();
      BatchRecorder r = new BatchRecorder(m -> m.messageId().startsWith("poison")
          ? Disposition.deadLetter("cannot parse")
          : m.messageId().startsWith("again") && !m.redelivered() ? Disposition.requeue("later")
          : Disposition.ack());
      Recorder dead = acking(transport.deadLetterDestination(d));
      List<OutboundMessage> messages = new ArrayList<>();
      for (int i = 0; i < 60; i++) {
        messages.add(message((i % 10 == 3 ? "poison-" : i % 10 == 7 ? "again-" : "ok-") + UUID.randomUUID()));
      }
      for (CompletableFuture<Void> f : transport.publishAll(d, messages)) {
        await(f);
      }
      subscribe(d, r);

      Set<String> done = new HashSet<>();
      Set<String> expected = new HashSet<>();
      messages.stream().filter(m -> !m.messageId().startsWith("poison"))
          .forEach(m -> expected.add(m.messageId()));
      while (!done.containsAll(expected)) {
        InboundMessage m = r.inner.next();
        if (!m.messageId().startsWith("poison") && (!m.messageId().startsWith("again") || m.redelivered())) {
          assertThat(done.add(m.messageId())).as("%s acknowledged once", m.messageId()).isTrue();
        }
      }
      Set<String> deadIds = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        deadIds.add(dead.next().messageId());
      }
      assertThat(deadIds).allMatch(id -> id.startsWith("poison")).hasSize(6);
      assertThat(r.calls).as("sizes of the handleAll calls").allMatch(n -> n >= 1);
      if (batchesDeliveries()) {
        assertThat(r.calls).as("sizes of the handleAll calls: messages waiting are handed over together")
            .anyMatch(n -> n > 1);
      }
    }

    @Test
    @DisplayName("a handleAll that throws gets its messages again")
    void throwingBatchRequeues() throws Exception {
      String d = declared();
      BatchRecorder r = new BatchRecorder(m -> Disposition.ack());
      r.failNextCall.set(true);
      OutboundMessage m = message();
      publish(d, m);
      subscribe(d, r);
      assertThat(r.inner.next().messageId()).isEqualTo(m.messageId());
      InboundMessage again = r.inner.next();
      assertThat(again.messageId()).isEqualTo(m.messageId());
      assertThat(again.redelivered()).isTrue();
    }
  }

  @Nested
  @DisplayName("consumers")
  class Consumers {
    @Test
    @DisplayName("competing consumers of one destination share its messages, each handled once")
    void competing() throws Exception {
      String d = declared();
      Map<String, Integer> seen = new HashMap<>();
      CountDownLatch all = new CountDownLatch(40);
      MessageHandler h = m -> {
        synchronized (seen) {
          seen.merge(m.messageId(), 1, Integer::sum);
        }
        all.countDown();
        return Disposition.ack();
      };
      subscribe(d, h);
      subscribe(d, h);
      List<OutboundMessage> messages = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        messages.add(message());
      }
      for (CompletableFuture<Void> f : transport.publishAll(d, messages)) {
        await(f);
      }
      assertThat(all.await(patience().toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      OutboundMessage marker = message();
      Recorder late = acking(d);
      publish(d, marker);
      // The marker may go to any of the three consumers; wait until one of them handled it.
      boolean markerSeen = false;
      for (int i = 0; i < 20 && !markerSeen; i++) {
        synchronized (seen) {
          markerSeen = seen.containsKey(marker.messageId());
        }
        InboundMessage m = late.received.poll(patience().toMillis() / 20, TimeUnit.MILLISECONDS);
        markerSeen |= m != null && m.messageId().equals(marker.messageId());
      }
      assertThat(markerSeen).as("the marker was delivered within %s", patience()).isTrue();
      synchronized (seen) {
        for (OutboundMessage m : messages) {
          assertThat(seen.get(m.messageId())).as("handlings of %s", m.messageId()).isEqualTo(1);
        }
      }
      assertThat(late.all).extracting(InboundMessage::messageId).doesNotContainAnyElementsOf(
          messages.stream().map(OutboundMessage::messageId).toList());
    }

    @Test
    @DisplayName("a closed subscription gets nothing more, and its messages go to another subscriber")
    void closeHandsOver() throws Exception {
      String d = declared();
      CountDownLatch first = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Recorder s1 = new Recorder(m -> {
        first.countDown();
        try {
          release.await(patience().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Disposition.ack();
      });
      Subscription sub1 = subscribe(d, s1);
      List<OutboundMessage> messages = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        messages.add(message());
      }
      for (CompletableFuture<Void> f : transport.publishAll(d, messages)) {
        await(f);
      }
      assertThat(first.await(patience().toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      CompletableFuture<Void> closing = CompletableFuture.runAsync(sub1::close);
      assertThat(closing).as("close waits for the running handler call").isNotDone();
      release.countDown();
      await(closing);
      int handledBeforeClose = s1.all.size();

      Recorder s2 = acking(d);
      Set<String> handled = new HashSet<>();
      s1.all.forEach(m -> handled.add(m.messageId()));
      while (handled.size() < messages.size()) {
        handled.add(s2.next().messageId());
      }
      assertThat(handled).containsExactlyInAnyOrderElementsOf(
          messages.stream().map(OutboundMessage::messageId).toList());
      assertThat(s1.all).hasSize(handledBeforeClose);
    }

    @Test
    @DisplayName("a subscription closed before messages arrive never sees them")
    void closedEarly() throws Exception {
      String d = declared();
      Recorder s1 = acking(d);
      subscriptions.get(subscriptions.size() - 1).close();
      OutboundMessage m = message();
      publish(d, m);
      Recorder s2 = acking(d);
      assertThat(s2.next().messageId()).isEqualTo(m.messageId());
      assertThat(s1.all).isEmpty();
    }
  }

  @Nested
  @DisplayName("pausing and releasing")
  class PausingAndReleasing implements PauseAndReleaseContract {
    @Override
    public Transport transport() {
      return transport;
    }

    @Override
    public String declared() {
      return TransportContract.this.declared();
    }

    @Override
    public void publish(String destination, OutboundMessage message) throws Exception {
      TransportContract.this.publish(destination, message);
    }

    @Override
    public Subscription subscribe(String destination, MessageHandler handler) {
      return TransportContract.this.subscribe(destination, handler);
    }

    @Override
    public Duration patience() {
      return TransportContract.this.patience();
    }

    @Override
    public Duration quietPeriod() {
      return TransportContract.this.quietPeriod();
    }

    @Override
    public int maxDeliveries() {
      return TransportContract.this.maxDeliveries();
    }

    @Override
    public boolean releaseKeepsDeliveryCount() {
      return TransportContract.this.releaseKeepsDeliveryCount();
    }

    @Override
    public boolean pauseKeepsDeliveryCount() {
      return TransportContract.this.pauseKeepsDeliveryCount();
    }
  }
}
