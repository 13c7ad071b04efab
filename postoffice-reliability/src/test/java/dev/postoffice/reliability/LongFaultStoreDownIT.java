package dev.postoffice.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.itsupport.Rabbitmqctl;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.Status;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.rabbit.RabbitTransportSettings;
import dev.postoffice.spi.EntryQuery;
import dev.postoffice.testkit.FaultProxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Long faults on the downstream side (issue 16, defect 1), with PostgreSQL and RabbitMQ real: the
 * store unreachable for longer than the old hold time (30 s) × the transport's maximum deliveries
 * (1 here, so any put-back that counted would dead-letter at once), with a short queue so that
 * put-back messages come straight back, while the Core App keeps sending; and the consumer's
 * channel closed by the broker. Afterwards every message the Core App sent is stored and Dispatched
 * once, the dead-letter queue is empty, and the subscription resumed by itself.
 *
 * <p>Short mode: the store is down 35 s; long mode 120 s ({@code
 * -Dpostoffice.reliability.storeDownSeconds=N} overrides).
 */
@DisplayName("Long faults: the store down, the consumer's channel closed")
class LongFaultStoreDownIT {
  private static final Duration STORE_DOWN =
      Duration.ofSeconds(Mode.pick("postoffice.reliability.storeDownSeconds", 35, 120));
  private static final Duration MAX_RECOVERY = Duration.ofSeconds(30);
  private static final String ROUTE = "shipments";
  private final List<AutoCloseable> open = new ArrayList<>();
  private HikariDataSource direct;
  private HikariDataSource proxied;
  private FaultProxy pgProxy;
  private String tables;
  private String queues;
  private JdbcStatusStore store;
  private CoreAppSender sender;
  private final Map<String, Set<String>> keysByReference = new ConcurrentHashMap<>();
  private final AtomicInteger partnerCalls = new AtomicInteger();

  @BeforeAll
  static void needsServices() {
    Services.assumeReachable();
  }

  @BeforeEach
  void setUp() throws Exception {
    direct = Services.postgres(Services.POSTGRES_PORT, 4, "longfault-direct");
    tables = Services.tablePrefix("longfault");
    queues = Services.queuePrefix("longfault");
    JdbcStatusStore.builder(direct).tablePrefix(tables).build().migrate();
    pgProxy = FaultProxy.to(Services.HOST, Services.POSTGRES_PORT);
    proxied = Services.postgres(pgProxy.port(), 6, "longfault-proxied");
    proxied.setConnectionTimeout(1_000); // a refused database fails a store call within a second
    store = JdbcStatusStore.builder(proxied).tablePrefix(tables).build();
  }

  @AfterEach
  void tearDown() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    if (proxied != null) {
      proxied.close();
    }
    if (pgProxy != null) {
      pgProxy.close();
    }
    if (direct != null) {
      Services.dropTables(direct, tables);
      direct.close();
      Services.deleteQueues(queues, List.of(Flows.SHIPMENTS_QUEUE));
    }
  }

  private <T extends AutoCloseable> T opened(T resource) {
    open.add(resource);
    return resource;
  }

  /** Starts PostOffice (store behind the proxy, broker direct) and the Core App's sender. */
  private void start(int maxDeliveries) {
    RabbitTransport postOfficeRabbit =
        opened(
            RabbitTransport.create(
                Services.rabbit(queues, Services.RABBIT_PORT, "longfault-postoffice")
                    .maxDeliveries(maxDeliveries)
                    .prefetch(20)
                    .build()));
    RabbitTransport coreRabbit =
        opened(
            RabbitTransport.create(
                Services.rabbit(queues, Services.RABBIT_PORT, "longfault-core").build()));
    Dispatcher partner =
        (request, context) -> {
          partnerCalls.incrementAndGet();
          String reference =
              Flows.CODEC.decode(request.body(), Flows.PartnerShipment.class).reference();
          keysByReference
              .computeIfAbsent(reference, r -> ConcurrentHashMap.newKeySet())
              .add(context.idempotencyKey());
          return new DispatchResult(201, "{}");
        };
    RouteSettings settings = Flows.settings(Duration.ofSeconds(3)).build();
    opened(
        PostOffice.builder()
            .store(store)
            .transport(postOfficeRabbit)
            .route(
                Flows.shipments(
                    ROUTE,
                    Flows.SHIPMENTS_QUEUE,
                    URI.create("http://partner.invalid/"),
                    settings,
                    partner))
            .build()
            .start());
    sender = CoreAppSender.create(coreRabbit);
  }

  @Test
  @DisplayName(
      "the store unreachable longer than hold time × max deliveries: nothing dead-lettered, everything"
          + " stored and Dispatched once it is back, the subscription resumed by itself")
  void storeDown() throws Exception {
    start(1); // any put-back that counted would dead-letter the message at once
    CoreFeed feed = new CoreFeed(sender);
    Await.until(
        Duration.ofSeconds(20),
        "the first messages dispatched",
        () -> keysByReference.size() >= 10,
        this::state);

    pgProxy.cutAndRefuse();
    long faultStart = System.nanoTime();
    Await.until(
        Duration.ofSeconds(15),
        "the subscription paused (no consumer on the queue)",
        () -> consumers() == 0,
        this::state);
    Duration pausedAfter = Duration.ofNanos(System.nanoTime() - faultStart);
    Await.pause(STORE_DOWN.minus(pausedAfter));
    long waitingAtHeal = messagesWaiting();
    pgProxy.heal();
    long healed = System.nanoTime();
    Duration fault = Duration.ofNanos(healed - faultStart);
    Await.until(
        MAX_RECOVERY, "the subscription resumed by itself", () -> consumers() == 1, this::state);
    Duration resumed = Duration.ofNanos(System.nanoTime() - healed);
    Await.pause(Duration.ofSeconds(1)); // the Core App keeps sending after the fault
    feed.stop();
    int sent = feed.sent.get();
    Await.until(
        MAX_RECOVERY,
        "every message sent stored and Dispatched",
        () ->
            keysByReference.size() >= sent
                && NetworkFaultIT.count(store, ROUTE, Layer.L1, Status.DISPATCHED) >= sent,
        this::state);
    Duration recovered = Duration.ofNanos(System.nanoTime() - healed);

    long dlq = deadLetters();
    int lost = check(sent);
    int duplicatePartnerCalls = partnerCalls.get() - keysByReference.size();
    assertThat(waitingAtHeal)
        .as("Core App messages waiting in the queue at the end of the fault")
        .isPositive();
    assertThat(dlq).as("dead letters").isZero();
    Figures.record(
        "long-faults/store-down",
        "messages="
            + sent
            + " fault="
            + fault.toSeconds()
            + "s lost="
            + lost
            + " duplicateCoreEffects=0 duplicatePartnerCalls="
            + duplicatePartnerCalls
            + " dlq="
            + dlq
            + " recovered="
            + recovered.toMillis()
            + "ms pausedAfter="
            + pausedAfter.toMillis()
            + "ms resumedAfter="
            + resumed.toMillis()
            + "ms waitingAtHeal="
            + waitingAtHeal);
  }

  @Test
  @DisplayName("the consumer's channel closed by the broker: consumption resumes without a restart")
  void channelClosedByTheBroker() throws Exception {
    Rabbitmqctl.assumeAvailable();
    // The messages a handler had when the channel closed count one delivery (a message that hangs
    // its handler
    // past consumer_timeout must reach the dead-letter queue in the end); those only prefetched do
    // not.
    start(RabbitTransportSettings.DEFAULT_MAX_DELIVERIES);
    CoreFeed feed = new CoreFeed(sender);
    Await.until(
        Duration.ofSeconds(20),
        "the first messages dispatched",
        () -> keysByReference.size() >= 10,
        this::state);

    long faultStart = System.nanoTime();
    assertThat(Rabbitmqctl.closeConsumerChannels(queues + Flows.SHIPMENTS_QUEUE))
        .as("consumer channels made to fail")
        .isEqualTo(1);
    Await.until(Duration.ofSeconds(10), "the channel closed", () -> consumers() == 0, this::state);
    Duration resumed =
        Await.until(
            MAX_RECOVERY, "a consumer back on the queue", () -> consumers() == 1, this::state);
    Await.pause(Duration.ofSeconds(2)); // the Core App keeps sending after the fault
    feed.stop();
    int sent = feed.sent.get();
    Await.until(
        MAX_RECOVERY,
        "every message sent stored and Dispatched",
        () ->
            keysByReference.size() >= sent
                && NetworkFaultIT.count(store, ROUTE, Layer.L1, Status.DISPATCHED) >= sent,
        this::state);
    Duration recovered = Duration.ofNanos(System.nanoTime() - faultStart);

    long dlq = deadLetters();
    int lost = check(sent);
    assertThat(dlq).as("dead letters").isZero();
    Figures.record(
        "long-faults/channel-closed",
        "messages="
            + sent
            + " fault=channel-close lost="
            + lost
            + " duplicateCoreEffects=0 duplicatePartnerCalls="
            + (partnerCalls.get() - keysByReference.size())
            + " dlq="
            + dlq
            + " recovered="
            + recovered.toMillis()
            + "ms consumerBackAfter="
            + resumed.toMillis()
            + "ms");
  }

  /**
   * Checks every message sent is stored once (as one non-duplicate entry) and Dispatched once;
   * returns lost.
   */
  private int check(int sent) {
    Map<String, Integer> stored = new HashMap<>();
    for (Entry e :
        store.query(new EntryQuery(RouteId.of(ROUTE), Layer.L4, Set.of(), null, 100_000, false))) {
      if (e.status() != Status.DUPLICATE) {
        stored.merge(e.dedupKey(), 1, Integer::sum);
      }
    }
    int lost = 0;
    for (int i = 0; i < sent; i++) {
      if (!stored.containsKey("ship-" + i) || !keysByReference.containsKey("REF-o-" + i)) {
        lost++;
      }
    }
    assertThat(lost).as("messages the Core App sent that were not stored and dispatched").isZero();
    assertThat(stored.values()).as("stored entries per message").containsOnly(1);
    assertThat(keysByReference.values().stream().filter(k -> k.size() != 1).count())
        .as("shipments sent under more than one idempotency key")
        .isZero();
    assertThat(
            store.countByStatus().stream()
                .filter(c -> c.status() == Status.FAILED || c.status() == Status.REJECTED))
        .as("failed or rejected entries")
        .isEmpty();
    return lost;
  }

  private String state() {
    return "sent="
        + partnerCalls.get()
        + " partner="
        + keysByReference.size()
        + " consumers="
        + consumers()
        + " waiting="
        + messagesWaiting()
        + " dlq="
        + deadLetters();
  }

  private long consumers() {
    return inspect(ch -> ch.consumerCount(queues + Flows.SHIPMENTS_QUEUE));
  }

  private long messagesWaiting() {
    return inspect(ch -> ch.messageCount(queues + Flows.SHIPMENTS_QUEUE));
  }

  private long deadLetters() {
    return inspect(
        ch ->
            ch.messageCount(
                queues
                    + Flows.SHIPMENTS_QUEUE
                    + RabbitTransportSettings.DEFAULT_DEAD_LETTER_SUFFIX));
  }

  /** A count read on a raw connection of its own, or -1 if the broker cannot tell. */
  private interface Count {
    long read(Channel channel) throws Exception;
  }

  private static long inspect(Count count) {
    ConnectionFactory f = new ConnectionFactory();
    f.setHost(Services.HOST);
    f.setPort(Services.RABBIT_PORT);
    try (Connection c = f.newConnection("longfault-inspect");
        Channel ch = c.createChannel()) {
      return count.read(ch);
    } catch (Exception e) {
      return -1;
    }
  }

  /** The Core App sending a shipment every 50 ms, retrying a send until it is confirmed. */
  private static final class CoreFeed {
    final AtomicInteger sent = new AtomicInteger();
    private volatile boolean running = true;
    private final Thread thread;

    CoreFeed(CoreAppSender sender) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  int i = sent.get();
                  try {
                    sender
                        .send(
                            Flows.SHIPMENTS_QUEUE,
                            "ship-" + i,
                            new Flows.ShipOrder("o-" + i, "1 Main St"))
                        .join();
                    sent.incrementAndGet();
                    Await.pause(Duration.ofMillis(50));
                  } catch (RuntimeException e) {
                    Await.pause(Duration.ofMillis(100));
                  }
                }
              },
              "longfault-core-feed");
      thread.setDaemon(true);
      thread.start();
    }

    void stop() throws InterruptedException {
      running = false;
      thread.join();
    }
  }
}
