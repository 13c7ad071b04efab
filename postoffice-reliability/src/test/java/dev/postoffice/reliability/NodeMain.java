package dev.postoffice.reliability;

import com.zaxxer.hikari.HikariDataSource;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.dispatch.HttpDispatcher;
import dev.postoffice.core.intake.WebhookHandler;
import dev.postoffice.core.intake.WebhookRoute;
import dev.postoffice.core.intake.WebhookServer;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.jdbc.JdbcReceiptLog;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.rabbit.RabbitTransport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A process of the kill -9 soak, started by {@link KillNineSoakIT} with {@code java -cp <test
 * classpath>}.
 *
 * <ul>
 *   <li>{@code role=node}: a PostOffice node — the orders route (webhook intake on a free port,
 *       written to {@code dir/<id>.port} once started) and the shipments route (HttpDispatcher to
 *       the partner), on the shared PostgreSQL tables and RabbitMQ queues.
 *   <li>{@code role=receiver}: the Core App — a CoreAppReceiver with a JdbcReceiptLog (its dedup
 *       survives restarts) whose transactional handler counts each message id in the table {@code
 *       <tables>handled}, through the receipt log's {@code Connection} (with {@code
 *       plainHandler=true}: a plain handler on its own connection, the way that can run twice when
 *       the receiver is killed).
 * </ul>
 *
 * <p>It exits when its standard input closes, so it never outlives the test JVM.
 */
public final class NodeMain {
  private NodeMain() {}

  /**
   * Runs a node or the receiver until killed.
   *
   * @param args {@code key=value}: role, id, tables, queues, dir, partner, leaseMillis,
   *     plainHandler
   * @throws Exception if it cannot start
   */
  public static void main(String[] args) throws Exception {
    Map<String, String> a = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      a.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    watchParent();
    try {
      run(a);
    } catch (Throwable e) {
      // A node that cannot start must end, so the test sees it; the broker and pool threads would
      // keep it up.
      e.printStackTrace();
      Runtime.getRuntime().halt(1);
    }
    Thread.currentThread().join();
  }

  private static void run(Map<String, String> a) throws Exception {
    String id = a.get("id");
    HikariDataSource db = Services.postgres(Services.POSTGRES_PORT, 6, id);
    RabbitTransport transport =
        RabbitTransport.create(Services.rabbit(a.get("queues"), Services.RABBIT_PORT, id).build());
    if (a.get("role").equals("receiver")) {
      receiver(a, db, transport);
    } else {
      node(a, db, transport);
    }
    Path ready = Path.of(a.get("dir"), id + ".ready");
    Files.writeString(ready, "ready", StandardCharsets.UTF_8);
  }

  private static void node(Map<String, String> a, HikariDataSource db, RabbitTransport transport)
      throws Exception {
    String id = a.get("id");
    JdbcStatusStore store = JdbcStatusStore.builder(db).tablePrefix(a.get("tables")).build();
    RouteSettings settings =
        Flows.settings(Duration.ofMillis(Long.parseLong(a.get("leaseMillis")))).build();
    HttpDispatcher partner = HttpDispatcher.builder().requestTimeout(Duration.ofSeconds(5)).build();
    WebhookHandler webhooks =
        WebhookHandler.builder()
            .route(WebhookRoute.builder("orders").dedupHeader("Delivery-Id").build())
            .build();
    Pipeline pipeline =
        PostOffice.builder()
            .nodeId(id)
            .store(store)
            .transport(transport)
            .route(Flows.orders("orders", Flows.ORDERS_QUEUE, settings))
            .route(
                Flows.shipments(
                    "shipments",
                    Flows.SHIPMENTS_QUEUE,
                    URI.create(a.get("partner")),
                    settings,
                    partner))
            .ingestor("orders", webhooks.ingestor("orders"))
            .build()
            .start();
    WebhookServer server =
        WebhookServer.builder(webhooks).host(Services.HOST).port(0).threads(4).start();
    Path port = Path.of(a.get("dir"), id + ".port");
    Path tmp = Path.of(a.get("dir"), id + ".port.tmp");
    Files.writeString(tmp, Integer.toString(server.port()), StandardCharsets.UTF_8);
    Files.move(tmp, port, StandardCopyOption.ATOMIC_MOVE);
    System.out.println(
        "node " + id + " started: " + pipeline.routes() + ", webhook port " + server.port());
  }

  private static void receiver(
      Map<String, String> a, HikariDataSource db, RabbitTransport transport) {
    String tables = a.get("tables");
    JdbcReceiptLog receipts = JdbcReceiptLog.builder(db).tablePrefix(tables).build();
    String sql =
        "INSERT INTO "
            + tables
            + "handled (message_id, order_id, n) VALUES (?, ?, 1)"
            + " ON CONFLICT (message_id) DO UPDATE SET n = "
            + tables
            + "handled.n + 1";
    CoreAppReceiver.Builder<Flows.OrderPlaced> builder =
        CoreAppReceiver.builder(transport, receipts, Flows.OrderPlaced.class)
            .from(Flows.ORDERS_QUEUE)
            .name("orders");
    if (Boolean.parseBoolean(a.getOrDefault("plainHandler", "false"))) {
      // The old way, kept to show the soak can fail: the effect commits on its own connection, the
      // receipt is
      // marked afterwards in another transaction, so a kill between the two runs the handler again.
      builder.handler(
          (order, context) -> {
            try (Connection c = db.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
              count(ps, context.messageId(), order.orderId());
            }
          });
    } else {
      // The default way: the effect is written through the receipt log's transaction, so it commits
      // with the
      // receipt or not at all, whenever the process is killed.
      builder.handler(
          Connection.class,
          (order, context, connection) -> {
            try (PreparedStatement ps = connection.prepareStatement(sql)) {
              count(ps, context.messageId(), order.orderId());
            }
          });
    }
    builder.build().start();
    System.out.println("receiver " + a.get("id") + " started");
  }

  private static void count(PreparedStatement ps, String messageId, String orderId)
      throws Exception {
    ps.setString(1, messageId);
    ps.setString(2, orderId);
    ps.executeUpdate();
  }

  /** Exits at once when the parent closes our standard input (or dies). */
  private static void watchParent() {
    Thread t =
        new Thread(
            () -> {
              try {
                while (System.in.read() >= 0) {
                  // Nothing is ever sent; end of input means the parent is gone.
                }
              } catch (Exception e) {
                // Treated as end of input.
              }
              Runtime.getRuntime().halt(0);
            },
            "parent-watch");
    t.setDaemon(true);
    t.start();
  }
}
