package dev.postoffice.examples;

import static dev.postoffice.examples.AcmeRoutes.ORDERS;
import static dev.postoffice.examples.AcmeRoutes.SHIPMENTS;

import dev.postoffice.BacklogFullException;
import dev.postoffice.Intake;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import dev.postoffice.coreapp.CoreAppSender;
import dev.postoffice.examples.model.ShipOrder;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The runnable example: Acme's orders flow in through {@code acme-orders} to an example Core App,
 * the core's ship commands flow out through {@code shipments-to-acme} to a stand-in for Acme's API,
 * on the in-memory store and transport (no server needed). It sends a few thousand messages, some
 * malformed, some twice, while Acme's API is briefly down; waits until every entry reached a
 * terminal status; prints the status table, the meters, the rejected deliveries and two traces; and
 * exits 0, or 1 if something did not settle in time.
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am package -DskipTests -Prun-example
 * }</pre>
 *
 * <p>With {@code -Dexample.console=true} it then keeps running and serves the operator console
 * ({@link ExampleConsole}) until Ctrl-C.
 */
public final class ExampleApp {
  /** Acme deliveries sent, unless the first argument says otherwise. */
  public static final int DEFAULT_ORDERS = 3_000;

  /** Ship commands the core sends, unless the second argument says otherwise. */
  public static final int DEFAULT_SHIPMENTS = 1_000;

  /**
   * How long the example waits for every entry to reach a terminal status. A run takes 2 to 4
   * seconds on an idle laptop; the deadline only catches a run that is stuck, also on a busy
   * machine.
   */
  public static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** How many of the first requests Acme's API answers 503. */
  public static final int OUTAGE_REQUESTS = 10;

  /** The {@code Retry-After} Acme sends during its outage. */
  public static final Duration OUTAGE_RETRY_AFTER = Duration.ofMillis(300);

  private ExampleApp() {}

  /**
   * Runs the example.
   *
   * @param args optional: the number of Acme deliveries, then the number of ship commands; {@code
   *     --console} anywhere to serve the operator console afterwards
   * @throws InterruptedException if interrupted while waiting
   */
  public static void main(String[] args) throws InterruptedException {
    String[] counts =
        java.util.Arrays.stream(args).filter(a -> !a.startsWith("--")).toArray(String[]::new);
    int orders = counts.length > 0 ? Integer.parseInt(counts[0]) : DEFAULT_ORDERS;
    int shipments = counts.length > 1 ? Integer.parseInt(counts[1]) : DEFAULT_SHIPMENTS;
    boolean console = ExampleConsole.wanted(args);
    int exit =
        run(
            orders,
            shipments,
            TIMEOUT,
            System.out,
            example -> {
              if (console) {
                ExampleConsole.serveUntilInterrupted(example.pipeline(), System.out);
              }
            });
    if (exit != 0) {
      System.exit(exit);
    }
  }

  /**
   * Runs the example and prints its report.
   *
   * @param orderCount how many Acme deliveries to send, at least 20
   * @param shipmentCount how many ship commands the core sends, at least 1
   * @param timeout how long to wait for every entry to reach a terminal status
   * @param out where to print
   * @return 0 when everything settled as expected, 1 otherwise
   * @throws InterruptedException if interrupted while waiting
   */
  public static int run(int orderCount, int shipmentCount, Duration timeout, PrintStream out)
      throws InterruptedException {
    return run(orderCount, shipmentCount, timeout, out, example -> {});
  }

  /**
   * Runs the example, prints its report, and hands the running example to a last step before it
   * stops (serving the console, say).
   *
   * @param orderCount how many Acme deliveries to send, at least 20
   * @param shipmentCount how many ship commands the core sends, at least 1
   * @param timeout how long to wait for every entry to reach a terminal status
   * @param out where to print
   * @param whileRunning called with the running example after the report
   * @return 0 when everything settled as expected, 1 otherwise
   * @throws InterruptedException if interrupted while waiting
   */
  public static int run(
      int orderCount,
      int shipmentCount,
      Duration timeout,
      PrintStream out,
      java.util.function.Consumer<AcmeExample> whileRunning)
      throws InterruptedException {
    AcmeTraffic.Orders orders = AcmeTraffic.orders(orderCount);
    List<ShipOrder> shipments = AcmeTraffic.shipments(shipmentCount);
    Expected expected =
        new Expected()
            .expect(ORDERS, Layer.L1, Status.REJECTED, orders.malformed())
            .expect(ORDERS, Layer.L1, Status.DUPLICATE, orders.resent())
            .expect(ORDERS, Layer.L4, Status.ACKNOWLEDGED, orders.lines())
            .expect(SHIPMENTS, Layer.L4, Status.DUPLICATE, 1)
            .expect(SHIPMENTS, Layer.L1, Status.DISPATCHED, shipments.size());
    ExampleReport report = new ExampleReport(out);
    report.intro(orders, shipments.size());
    long started = System.nanoTime();
    try (AcmeExample example = AcmeExample.start(OUTAGE_REQUESTS, OUTAGE_RETRY_AFTER)) {
      IntakeReceipt traced = submitAll(example.pipeline().intake(ORDERS), orders.messages()).get(1);
      sendAll(example.sender(), shipments);
      List<String> missing = expected.awaitSettled(example.pipeline().operations(), timeout);
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      if (!missing.isEmpty()) {
        report.unsettled(example.pipeline().operations(), missing, timeout);
        return 1;
      }
      report.settled(example, took, traced.entryId());
      whileRunning.accept(example);
      return 0;
    }
  }

  /**
   * Submits like a webhook would, one delivery per call, slowing down when the route says its
   * backlog is full.
   */
  private static List<IntakeReceipt> submitAll(Intake intake, List<RawMessage> messages)
      throws InterruptedException {
    List<IntakeReceipt> receipts = new ArrayList<>(messages.size());
    for (RawMessage message : messages) {
      while (true) {
        try {
          receipts.add(intake.submit(message));
          break;
        } catch (BacklogFullException e) {
          Thread.sleep(e.retryAfter().toMillis()); // a webhook would answer 503 with Retry-After
        }
      }
    }
    return receipts;
  }

  /** Sends the commands with their shipment id as stable message id, then one of them again. */
  private static void sendAll(CoreAppSender sender, List<ShipOrder> shipments) {
    List<CompletableFuture<Void>> sent = new ArrayList<>(shipments.size() + 1);
    for (ShipOrder command : shipments) {
      sent.add(sender.send(AcmeRoutes.SHIPMENTS_QUEUE, command.shipmentId(), command));
    }
    // The core crashed after sending and sends its outbox again: PostOffice records a Duplicate.
    ShipOrder again = shipments.get(0);
    sent.add(sender.send(AcmeRoutes.SHIPMENTS_QUEUE, again.shipmentId(), again));
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
  }
}
