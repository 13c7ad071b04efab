package dev.postoffice.testkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The tests of the {@link dev.postoffice.testkit.transport.TransportContract} group "consumers".
 * Competing consumers share a destination; a closed subscription hands its messages over.
 *
 * <p>A suite runs them through a {@code @Nested} inner class that extends this one.
 */
public abstract class ConsumersContract extends TransportContractGroup {
  /**
   * Creates the group for a suite's nested class.
   *
   * @param fixture what the suite tests, read afresh for each test
   */
  protected ConsumersContract(TransportFixture fixture) {
    super(fixture);
  }

  @Test
  @DisplayName("competing consumers of one destination share its messages, each handled once")
  void competing() throws Exception {
    String d = declared();
    Map<String, Integer> seen = new HashMap<>();
    CountDownLatch all = new CountDownLatch(40);
    MessageHandler h =
        m -> {
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
    assertThat(late.all)
        .extracting(InboundMessage::messageId)
        .doesNotContainAnyElementsOf(messages.stream().map(OutboundMessage::messageId).toList());
  }

  @Test
  @DisplayName("a closed subscription gets nothing more, and its messages go to another subscriber")
  void closeHandsOver() throws Exception {
    String d = declared();
    CountDownLatch first = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Recorder s1 =
        new Recorder(
            m -> {
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
    assertThat(handled)
        .containsExactlyInAnyOrderElementsOf(
            messages.stream().map(OutboundMessage::messageId).toList());
    assertThat(s1.all).hasSize(handledBeforeClose);
  }

  @Test
  @DisplayName("a subscription closed before messages arrive never sees them")
  void closedEarly() throws Exception {
    String d = declared();
    Recorder s1 = new Recorder(m -> Disposition.ack());
    subscribe(d, s1).close();
    OutboundMessage m = message();
    publish(d, m);
    Recorder s2 = acking(d);
    assertThat(s2.next().messageId()).isEqualTo(m.messageId());
    assertThat(s1.all).isEmpty();
  }
}
