package dev.postoffice.core.internal.ack;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.postoffice.StoreUnavailableException;
import dev.postoffice.codec.AckMessages;
import dev.postoffice.core.internal.route.EngineContext;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.event.MessageDelivered;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.HistoryRecord;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.ClaimRequest;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Transport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * How Core App acknowledgements handed over together become {@code ACKNOWLEDGED}, including the
 * races.
 */
class AckListenerTest {
  private static final RouteId ROUTE = RouteId.of("orders");
  private static final String PUBLISHER = "node-publisher";
  private final Clock clock = Clock.fixed(Instant.parse("2026-11-28T10:00:00Z"), ZoneOffset.UTC);
  private final InMemoryStatusStore memory = InMemoryStatusStore.create();
  private final List<String> calls = Collections.synchronizedList(new ArrayList<>());

  /** Runs as each transitionAll call starts, as a slow database would. */
  private Runnable beforeCall = () -> {};

  private final AtomicBoolean storeDown = new AtomicBoolean();

  /** Runs after the first transitionAll call, as another thread committing at that moment would. */
  private Consumer<Set<EntryId>> afterFirstCall = ids -> {};

  private final AckRace race = new AckRace();

  /** The engine's listener; null as in most tests here, which makes no events. */
  private PipelineListener pipelineListener;

  private AckListener listener() {
    StatusStore store =
        (StatusStore)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {StatusStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("transitionAll")) {
                    if (storeDown.get()) {
                      throw new StoreUnavailableException("database down", null);
                    }
                    calls.add(method.getName());
                    beforeCall.run();
                  }
                  Object result;
                  try {
                    result = method.invoke(memory, args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                  if (method.getName().equals("transitionAll") && calls.size() == 1) {
                    @SuppressWarnings("unchecked")
                    Set<EntryId> ids = Set.copyOf((java.util.Collection<EntryId>) args[0]);
                    afterFirstCall.accept(ids);
                  }
                  return result;
                });
    return new AckListener(
        new EngineContext(
            "node-acks",
            store,
            null,
            null,
            clock,
            pipelineListener,
            "acks",
            true,
            Duration.ofSeconds(1)),
        race);
  }

  /** A layer-4 entry leased to the publisher, not yet confirmed: JUST_IN. */
  private Entry publishing() {
    NewEntry e =
        new NewEntry(
            EntryId.random(),
            ROUTE,
            Direction.UPSTREAM,
            Layer.L4,
            Payload.json("{}"),
            Map.of(),
            null,
            TraceId.random(),
            null,
            "handOff",
            null);
    memory.intake(List.of(e), clock.instant());
    return memory
        .claim(
            new ClaimRequest(ROUTE, Layer.L4, 1, PUBLISHER, Duration.ofMinutes(1), clock.instant()))
        .get(0);
  }

  private Entry queued() {
    Entry claimed = publishing();
    memory.commit(
        List.of(
            new Completion(
                claimed.id(),
                PUBLISHER,
                claimed.attempts(),
                Status.QUEUED,
                "confirmed",
                null,
                null,
                List.of())),
        clock.instant());
    return memory.find(claimed.id()).orElseThrow();
  }

  private static InboundMessage ack(EntryId forEntry) {
    return new InboundMessage(
        "ack-" + forEntry,
        Map.of(Transport.HEADER_ACK_FOR, forEntry.value()),
        new byte[0],
        "application/json",
        1,
        false);
  }

  private Status status(Entry e) {
    return memory.find(e.id()).orElseThrow().status();
  }

  @Test
  @DisplayName("acknowledgements handed over together are applied in one store call")
  void oneStoreCallForMany() {
    List<Entry> entries = List.of(queued(), queued(), queued());

    List<Disposition> out = listener().handleAll(entries.stream().map(e -> ack(e.id())).toList());

    assertThat(out).containsOnly(Disposition.ack()).hasSize(3);
    assertThat(entries).allMatch(e -> status(e) == Status.ACKNOWLEDGED);
    assertThat(calls).hasSize(1);
  }

  @Test
  @DisplayName(
      "acknowledgements of several consumer threads that arrive while a store call runs share the next one")
  void concurrentBatchesCoalesce() throws Exception {
    Entry first = queued();
    List<Entry> later = List.of(queued(), queued(), queued());
    CountDownLatch inFirstCall = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    beforeCall =
        () -> {
          if (calls.size() == 1) {
            inFirstCall.countDown();
            awaitQuietly(release);
          }
        };
    AckListener listener = listener();
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Disposition>>> out = new ArrayList<>();
      out.add(threads.submit(() -> listener.handleAll(List.of(ack(first.id())))));
      assertThat(inFirstCall.await(10, TimeUnit.SECONDS)).isTrue();
      for (Entry e : later) {
        out.add(threads.submit(() -> listener.handleAll(List.of(ack(e.id())))));
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> listener.waitingToCoalesce() == 3);
      release.countDown();
      for (Future<List<Disposition>> f : out) {
        assertThat(f.get(10, TimeUnit.SECONDS)).containsExactly(Disposition.ack());
      }
    } finally {
      threads.shutdownNow();
    }
    assertThat(calls).as("the first call, then one for the three that waited").hasSize(2);
    assertThat(later).allMatch(e -> status(e) == Status.ACKNOWLEDGED);
    assertThat(status(first)).isEqualTo(Status.ACKNOWLEDGED);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  @DisplayName(
      "an acknowledgement that overtakes the publisher's record of the confirm records Queued first")
  void overtakesTheConfirm() {
    Entry confirmedAlready = queued();
    Entry stillPublishing = publishing();

    listener().handleAll(List.of(ack(confirmedAlready.id()), ack(stillPublishing.id())));

    assertThat(status(confirmedAlready)).isEqualTo(Status.ACKNOWLEDGED);
    assertThat(memory.history(stillPublishing.id()))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN, Status.QUEUED, Status.ACKNOWLEDGED);
  }

  @Test
  @DisplayName(
      "an entry the publisher records as Queued between the listener's store calls is still acknowledged")
  void publisherCommitsInBetween() {
    Entry e = publishing();
    afterFirstCall =
        ids ->
            memory.commit(
                List.of(
                    new Completion(
                        e.id(),
                        PUBLISHER,
                        e.attempts(),
                        Status.QUEUED,
                        "confirmed",
                        null,
                        null,
                        List.of())),
                clock.instant());

    listener().handleAll(List.of(ack(e.id())));

    assertThat(status(e)).isEqualTo(Status.ACKNOWLEDGED);
    assertThat(memory.history(e.id())).extracting(HistoryRecord::detail).contains("confirmed");
  }

  @Test
  @DisplayName(
      "an acknowledgement for an entry this node is still publishing waits for the publisher's commit")
  void waitsForThisNodesPublisher() throws Exception {
    Entry e = publishing();
    AckRace.Publishing batch = race.publishing(List.of(e.id()));
    Thread[] publisher = new Thread[1];
    // The publisher commits only once the listener, having found the entry not yet Queued, waits
    // for it.
    afterFirstCall =
        ids -> {
          Thread listenerThread = Thread.currentThread();
          publisher[0] =
              new Thread(
                  () -> {
                    Awaitility.await("the listener waits for the publisher")
                        .atMost(Duration.ofSeconds(10))
                        .until(() -> listenerThread.getState() == Thread.State.TIMED_WAITING);
                    memory.commit(
                        List.of(
                            new Completion(
                                e.id(),
                                PUBLISHER,
                                e.attempts(),
                                Status.QUEUED,
                                "confirmed",
                                null,
                                null,
                                List.of())),
                        clock.instant());
                    batch.close();
                  });
          publisher[0].start();
        };

    assertThat(listener().handleAll(List.of(ack(e.id())))).containsExactly(Disposition.ack());
    publisher[0].join();

    assertThat(memory.history(e.id()))
        .extracting(HistoryRecord::detail)
        .containsExactly(null, "confirmed", "acknowledged by the Core App");
    assertThat(race.consumeOvertaken(e.id()))
        .as("the publisher's commit applied; nothing overtook it")
        .isFalse();
  }

  @Test
  @DisplayName(
      "a message without the header is dead-lettered, an unknown entry dropped, the rest applied")
  void badAcknowledgementsLoseNothingElse() {
    Entry good = queued();
    InboundMessage noHeader =
        new InboundMessage("ack-x", Map.of(), new byte[0], "application/json", 1, false);

    List<Disposition> out =
        listener().handleAll(List.of(noHeader, ack(EntryId.random()), ack(good.id())));

    assertThat(out.get(0).kind()).isEqualTo(Disposition.Kind.DEAD_LETTER);
    assertThat(out.get(0).reason()).contains(Transport.HEADER_ACK_FOR);
    assertThat(out.get(1)).isEqualTo(Disposition.ack());
    assertThat(out.get(2)).isEqualTo(Disposition.ack());
    assertThat(status(good)).isEqualTo(Status.ACKNOWLEDGED);
  }

  /**
   * The acknowledgement a Core App receiver sends for a delivery batch of these entries' messages.
   */
  private static InboundMessage ackForAll(List<Entry> entries) {
    OutboundMessage sent =
        AckMessages.forAll(
            entries.stream()
                .map(
                    e ->
                        new InboundMessage(
                            e.id().value(), Map.of(), new byte[0], "application/json", 1, false))
                .toList());
    return new InboundMessage(
        sent.messageId(), sent.headers(), sent.body(), sent.contentType(), 1, false);
  }

  private static InboundMessage batchAck(String count, String body) {
    return new InboundMessage(
        "ack-batch",
        Map.of(Transport.HEADER_ACK_COUNT, count),
        body.getBytes(StandardCharsets.UTF_8),
        "application/json",
        1,
        false);
  }

  @Test
  @DisplayName(
      "one acknowledgement naming several entries acknowledges each of them, in one store call")
  void oneMessageForSeveral() {
    List<Entry> entries = List.of(queued(), queued(), queued());
    InboundMessage together = ackForAll(entries);
    assertThat(together.headers())
        .containsEntry(Transport.HEADER_ACK_COUNT, "3")
        .doesNotContainKey(Transport.HEADER_ACK_FOR);

    List<Disposition> out = listener().handleAll(List.of(together));

    assertThat(out).containsExactly(Disposition.ack());
    assertThat(entries).allMatch(e -> status(e) == Status.ACKNOWLEDGED);
    assertThat(calls).hasSize(1);
  }

  @Test
  @DisplayName(
      "a malformed acknowledgement naming several entries is dead-lettered with what is wrong; the rest"
          + " of its batch is applied")
  void malformedBatchAcknowledgements() {
    Entry good = queued();
    Entry untouched = queued();
    String id = untouched.id().value();
    List<InboundMessage> bad =
        List.of(
            batchAck("2", "{\"ackFor\":[\"" + id + "\"]}"),
            batchAck("x", "{\"ackFor\":[\"" + id + "\"]}"),
            batchAck("1", "not json"),
            batchAck("1", "{\"ackFor\":[42]}"),
            batchAck("1", "{\"ackFor\":[\"" + "a".repeat(EntryId.MAX_LENGTH + 1) + "\"]}"),
            batchAck("0", "{\"ackFor\":[]}"));
    List<InboundMessage> all = new ArrayList<>(bad);
    all.add(ack(good.id()));

    List<Disposition> out = listener().handleAll(all);

    assertThat(out.subList(0, bad.size()))
        .extracting(Disposition::kind)
        .containsOnly(Disposition.Kind.DEAD_LETTER);
    String malformed = "acknowledgement ack-batch is malformed: ";
    assertThat(out.get(0).reason())
        .isEqualTo(malformed + "its body's ackFor is not an array of 2 message ids");
    assertThat(out.get(1).reason())
        .isEqualTo(malformed + "postoffice-ack-count header 'x' is not a number");
    assertThat(out.get(2).reason())
        .startsWith(malformed + "its body is not JSON: ")
        .contains("Unrecognized token 'not'");
    assertThat(out.get(3).reason())
        .isEqualTo(malformed + "its body's ackFor holds 42, not a message id");
    assertThat(out.get(4).reason())
        .isEqualTo(
            malformed
                + "its body's ackFor '"
                + "a".repeat(EntryId.MAX_LENGTH + 1)
                + "' is not a message id (1 to "
                + EntryId.MAX_LENGTH
                + " non-blank characters)");
    assertThat(out.get(5).reason())
        .isEqualTo(malformed + "postoffice-ack-count header is 0, not 1 to " + AckMessages.MAX_IDS);
    assertThat(out.get(bad.size())).isEqualTo(Disposition.ack());
    assertThat(status(good)).isEqualTo(Status.ACKNOWLEDGED);
    assertThat(status(untouched)).isEqualTo(Status.QUEUED);
  }

  @Test
  @DisplayName(
      "while the store is down every acknowledgement is put back uncounted (released), none lost")
  void storeDownReleases() {
    Entry e = queued();
    storeDown.set(true);

    List<Disposition> out = listener().handleAll(List.of(ack(e.id()), ack(e.id())));

    assertThat(out).allMatch(d -> d.kind() == Disposition.Kind.RELEASE);
    assertThat(status(e)).isEqualTo(Status.QUEUED);
    storeDown.set(false);
    assertThat(listener().handleAll(List.of(ack(e.id())))).containsExactly(Disposition.ack());
    assertThat(status(e)).isEqualTo(Status.ACKNOWLEDGED);
  }

  /**
   * A layer-4 upstream entry the publish stage gave up on (its confirmations timed out): FAILED.
   */
  private Entry failed() {
    Entry claimed = publishing();
    memory.commit(
        List.of(
            new Completion(
                claimed.id(),
                PUBLISHER,
                claimed.attempts(),
                Status.FAILED,
                "gave up",
                "no broker confirmation",
                null,
                List.of())),
        clock.instant());
    return memory.find(claimed.id()).orElseThrow();
  }

  @Test
  @DisplayName(
      "an acknowledgement that comes after the entry was given up is taken (issue 16, defect 4): Failed"
          + " becomes Acknowledged, its history row says it came late")
  void lateAcknowledgementAfterFailed() {
    Entry e = failed();

    assertThat(listener().handleAll(List.of(ack(e.id())))).containsExactly(Disposition.ack());

    assertThat(status(e)).isEqualTo(Status.ACKNOWLEDGED);
    assertThat(memory.history(e.id()))
        .last()
        .satisfies(
            h -> {
              assertThat(h.from()).isEqualTo(Status.FAILED);
              assertThat(h.detail()).isEqualTo("acknowledged by the Core App late, after Failed");
            });
  }

  private static InboundMessage received(OutboundMessage sent) {
    return new InboundMessage(
        sent.messageId(), sent.headers(), sent.body(), sent.contentType(), 1, false);
  }

  @Test
  @DisplayName(
      "a negative acknowledgement makes the entry Rejected with the Core App's reason (issue 16, defect"
          + " 4); a later republish finds nothing to publish")
  void negativeAcknowledgementRejects() {
    Entry e = queued();
    Entry lateToo = failed();
    InboundMessage original =
        new InboundMessage(e.id().value(), Map.of(), new byte[0], "application/json", 1, false);
    InboundMessage originalToo =
        new InboundMessage(
            lateToo.id().value(), Map.of(), new byte[0], "application/json", 1, false);

    List<Disposition> out =
        listener()
            .handleAll(
                List.of(
                    received(AckMessages.rejection(original, "unknown sku X-1")),
                    received(AckMessages.rejection(originalToo, "account closed"))));

    assertThat(out).containsOnly(Disposition.ack());
    Entry rejected = memory.find(e.id()).orElseThrow();
    assertThat(rejected.status()).isEqualTo(Status.REJECTED);
    assertThat(rejected.lastError()).isEqualTo("rejected by the Core App: unknown sku X-1");
    assertThat(memory.history(e.id()))
        .last()
        .extracting(HistoryRecord::detail)
        .isEqualTo("rejected by the Core App: unknown sku X-1");
    assertThat(status(lateToo)).isEqualTo(Status.REJECTED);
    assertThat(status(lateToo))
        .as("not claimable: never published again")
        .matches(s -> !s.isClaimable());
  }

  @Test
  @DisplayName("a malformed negative acknowledgement is dead-lettered with what is wrong")
  void malformedNegativeAcknowledgement() {
    InboundMessage noReason =
        new InboundMessage(
            "nack-x",
            Map.of(AckMessages.HEADER_NACK_FOR, "e-1"),
            "{}".getBytes(StandardCharsets.UTF_8),
            "application/json",
            1,
            false);

    List<Disposition> out = listener().handleAll(List.of(noReason));

    assertThat(out)
        .containsExactly(
            Disposition.deadLetter(
                "negative acknowledgement nack-x is malformed: its body has no reason text"));
  }

  @Test
  @DisplayName(
      "an acknowledgement naming an entry of another layer or direction is ignored with a WARN (issue"
          + " 16, defect 12)")
  void onlyLayerFourUpstreamEntries() {
    NewEntry l1 =
        new NewEntry(
            EntryId.random(),
            ROUTE,
            Direction.UPSTREAM,
            Layer.L1,
            Payload.json("{}"),
            Map.of(),
            null,
            TraceId.random(),
            null,
            "webhook",
            null);
    NewEntry downstream =
        new NewEntry(
            EntryId.random(),
            ROUTE,
            Direction.DOWNSTREAM,
            Layer.L4,
            Payload.json("{}"),
            Map.of(),
            null,
            TraceId.random(),
            null,
            "intake",
            null);
    memory.intake(List.of(l1, downstream), clock.instant());
    ListAppender<ILoggingEvent> logged = new ListAppender<>();
    logged.start();
    ch.qos.logback.classic.Logger logger =
        (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(AckListener.class);
    logger.addAppender(logged);
    try {
      InboundMessage nack =
          received(
              AckMessages.rejection(
                  new InboundMessage(
                      l1.id().value(), Map.of(), new byte[0], "application/json", 1, false),
                  "no"));
      listener().handleAll(List.of(ack(l1.id()), ack(downstream.id()), nack));
    } finally {
      logger.detachAppender(logged);
    }

    assertThat(memory.history(l1.id()))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN);
    assertThat(memory.history(downstream.id()))
        .extracting(HistoryRecord::to)
        .containsExactly(Status.JUST_IN);
    assertThat(logged.list)
        .filteredOn(ev -> ev.getLevel() == Level.WARN)
        .extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(m -> assertThat(m).contains(l1.id().value()).contains("not a layer-4 upstream"))
        .anySatisfy(
            m -> assertThat(m).contains(downstream.id().value()).contains("not a layer-4 upstream"))
        .anySatisfy(
            m -> assertThat(m).startsWith("negative acknowledgement for entry " + l1.id().value()));
  }

  @Nested
  @DisplayName("tells the pipeline's listener")
  class Events {
    private final List<Object> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void record() {
      pipelineListener =
          new PipelineListener() {
            @Override
            public void onStatusChanged(StatusChanged event) {
              events.add(event);
            }

            @Override
            public void onMessageDelivered(MessageDelivered event) {
              events.add(event);
            }
          };
    }

    private List<String> moves(Entry e) {
      return events.stream()
          .filter(StatusChanged.class::isInstance)
          .map(StatusChanged.class::cast)
          .filter(c -> c.entryId().equals(e.id()))
          .map(c -> c.from().name() + "->" + c.to().name() + " " + c.detail())
          .toList();
    }

    /** The history rows after the first {@code skip}, as moves(e) makes them. */
    private List<String> history(Entry e, int skip) {
      return memory.history(e.id()).stream()
          .skip(skip)
          .map(r -> r.from().name() + "->" + r.to().name() + " " + r.detail())
          .toList();
    }

    private List<MessageDelivered> deliveries() {
      return events.stream()
          .filter(MessageDelivered.class::isInstance)
          .map(MessageDelivered.class::cast)
          .toList();
    }

    @Test
    @DisplayName(
        "each acknowledgement as Queued to Acknowledged and a delivery, with sinceQueued when this"
            + " node's publisher recorded the confirmation")
    void acknowledged() {
      Entry remembered = queued();
      race.queued(remembered, clock.instant().minusSeconds(3));
      Entry other = queued();

      listener().handleAll(List.of(ack(remembered.id()), ack(other.id())));

      assertThat(moves(remembered)).isEqualTo(history(remembered, 2));
      assertThat(moves(other)).isEqualTo(history(other, 2));
      assertThat(moves(other)).containsExactly("QUEUED->ACKNOWLEDGED acknowledged by the Core App");
      assertThat(deliveries())
          .hasSize(2)
          .allSatisfy(
              d -> {
                assertThat(d.direction()).isEqualTo(Direction.UPSTREAM);
                assertThat(d.route()).isEqualTo(ROUTE);
              });
      assertThat(deliveries())
          .filteredOn(d -> d.entryId().equals(remembered.id()))
          .singleElement()
          .satisfies(d -> assertThat(d.sinceQueued()).isEqualTo(Duration.ofSeconds(3)));
      assertThat(deliveries())
          .filteredOn(d -> d.entryId().equals(other.id()))
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.traceId()).isEqualTo(other.traceId());
                assertThat(d.sinceQueued()).as("read back from the store: unknown").isNull();
              });
    }

    @Test
    @DisplayName("an acknowledgement that overtook the publisher as two changes, Queued first")
    void overtaken() {
      Entry e = publishing();

      listener().handleAll(List.of(ack(e.id())));

      assertThat(moves(e))
          .isEqualTo(history(e, 1))
          .extracting(m -> m.substring(0, m.indexOf(' ')))
          .containsExactly("JUST_IN->QUEUED", "QUEUED->ACKNOWLEDGED");
      assertThat(deliveries())
          .singleElement()
          .satisfies(d -> assertThat(d.sinceQueued()).isEqualTo(Duration.ZERO));
    }

    @Test
    @DisplayName("a late acknowledgement from Failed, and a negative one as Rejected, no delivery")
    void lateAndNegative() {
      Entry late = failed();
      Entry refused = queued();
      InboundMessage original =
          new InboundMessage(
              refused.id().value(), Map.of(), new byte[0], "application/json", 1, false);

      listener()
          .handleAll(
              List.of(ack(late.id()), received(AckMessages.rejection(original, "unknown sku"))));

      assertThat(moves(late))
          .containsExactly("FAILED->ACKNOWLEDGED acknowledged by the Core App late, after Failed");
      assertThat(moves(refused))
          .isEqualTo(history(refused, 2))
          .containsExactly("QUEUED->REJECTED rejected by the Core App: unknown sku");
      assertThat(deliveries()).extracting(MessageDelivered::entryId).containsExactly(late.id());
    }

    @Test
    @DisplayName("nothing for an acknowledgement that moved nothing")
    void nothingMoved() {
      Entry e = queued();
      listener().handleAll(List.of(ack(e.id())));
      events.clear();

      listener().handleAll(List.of(ack(e.id())));

      assertThat(events).isEmpty();
    }
  }
}
