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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;

/**
 * The base of every group of {@link dev.postoffice.testkit.transport.TransportContract}: it takes
 * the transport of the current test from a {@link TransportFixture} before each test, and holds the
 * message builders, recording handlers and shortcuts the groups share, so no group repeats them.
 */
public abstract class TransportContractGroup {
  Transport transport;

  private final TransportFixture fixture;

  /**
   * Creates a group that reads the transport under test from a fixture.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected TransportContractGroup(TransportFixture fixture) {
    this.fixture = Objects.requireNonNull(fixture, "fixture cannot be null");
  }

  // Runs after the suite's @BeforeEach (an enclosing class's methods run first), which made the
  // transport.
  @BeforeEach
  void takeTheFixture() {
    transport = fixture.transport();
  }

  Duration patience() {
    return fixture.patience();
  }

  Duration quietPeriod() {
    return fixture.quietPeriod();
  }

  int maxDeliveries() {
    return fixture.maxDeliveries();
  }

  boolean releaseKeepsDeliveryCount() {
    return fixture.releaseKeepsDeliveryCount();
  }

  boolean pauseKeepsDeliveryCount() {
    return fixture.pauseKeepsDeliveryCount();
  }

  boolean batchesDeliveries() {
    return fixture.batchesDeliveries();
  }

  String declared() {
    String d = fixture.newDestination();
    transport.declare(d);
    return d;
  }

  static OutboundMessage message(String id) {
    return new OutboundMessage(
        id,
        Map.of(Transport.HEADER_TRACE_ID, "trace-" + id, "x-custom", "value"),
        ("body of " + id).getBytes(StandardCharsets.UTF_8),
        "application/json");
  }

  static OutboundMessage message() {
    return message(UUID.randomUUID().toString());
  }

  void await(CompletableFuture<?> future) throws Exception {
    future.get(patience().toMillis(), TimeUnit.MILLISECONDS);
  }

  void publish(String destination, OutboundMessage m) throws Exception {
    await(transport.publish(destination, m));
  }

  Subscription subscribe(String destination, MessageHandler handler) {
    return fixture.subscribe(destination, handler);
  }

  Recorder recording(String destination, Function<InboundMessage, Disposition> decide) {
    Recorder r = new Recorder(decide);
    subscribe(destination, r);
    return r;
  }

  Recorder acking(String destination) {
    return recording(destination, m -> Disposition.ack());
  }

  boolean countsDeliveries() {
    return transport.capabilities().deliveryCount();
  }

  /** A handler that records what it is given and answers as told. */
  final class Recorder implements MessageHandler {
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

  /** A batch handler that records each call's size and answers per message as told. */
  final class BatchRecorder implements BatchMessageHandler {
    final Recorder inner;
    final List<Integer> calls = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean failNextCall = new AtomicBoolean();

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
}
