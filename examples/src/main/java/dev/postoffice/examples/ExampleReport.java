package dev.postoffice.examples;

import dev.postoffice.core.operator.Operations;
import dev.postoffice.examples.model.AcmeShipment;
import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Prints what the example did: the status table, the meters, the rejected deliveries and two
 * traces.
 */
final class ExampleReport {
  private final PrintStream out;

  ExampleReport(PrintStream out) {
    this.out = out;
  }

  void intro(AcmeTraffic.Orders orders, int shipments) {
    out.printf(
        Locale.ROOT,
        "PostOffice example on the in-memory store and transport%n"
            + "  %s: %,d Acme deliveries in (%,d orders of %,d lines, %d malformed, %d sent twice)%n"
            + "  %s: %,d ship commands from the core out (one sent twice), while Acme's API answers"
            + " 503 to its first %d requests%n%n",
        AcmeRoutes.ORDERS,
        orders.messages().size(),
        orders.orders(),
        orders.lines(),
        orders.malformed(),
        orders.resent(),
        AcmeRoutes.SHIPMENTS,
        shipments,
        ExampleApp.OUTAGE_REQUESTS);
  }

  void settled(AcmeExample example, Duration took, EntryId tracedOrder) {
    Operations ops = example.pipeline().operations();
    out.printf(
        Locale.ROOT,
        "Every entry reached a terminal status in %.1f s.%n%n",
        took.toMillis() / 1000.0);
    out.println("Entries per route, layer and status:");
    out.println(ops.statsTable());
    out.println("Meters (postoffice-micrometer on a SimpleMeterRegistry; tags route, layer, ...):");
    out.println(MeterTable.render(example.meters()));
    rejected(ops);
    CoreOrderBook book = example.orderBook();
    List<AcmeShipment> booked = List.copyOf(example.acme().booked().values());
    out.printf(
        Locale.ROOT,
        "The Core App handled %,d order lines (%,d units), %s.%n",
        book.linesHandled(),
        book.units(),
        book.eachHandledOnce() ? "each exactly once" : "SOME MORE THAN ONCE");
    out.printf(
        Locale.ROOT,
        "Acme booked %,d shipments; %d requests met its outage and were retried.%n%n",
        booked.size(),
        example.acme().metOutage().size());
    out.println(
        "Trace of one Acme order, from the raw delivery to the Core App's acknowledgement:");
    out.println(ops.trace(tracedOrder).render());
    List<EntryId> retried = example.acme().metOutage();
    if (!retried.isEmpty()) {
      out.println("Trace of one ship command that met Acme's outage:");
      out.println(ops.trace(retried.get(0)).render());
    }
  }

  void unsettled(Operations ops, List<String> missing, Duration timeout) {
    out.println(
        "FAILED: not every entry reached its terminal status within "
            + timeout.toSeconds()
            + " s:");
    missing.forEach(line -> out.println("  - " + line));
    out.println();
    out.println(ops.statsTable());
  }

  private void rejected(Operations ops) {
    List<Entry> rejected = ops.failed(AcmeRoutes.ORDERS, 20);
    out.println(
        "Rejected on "
            + AcmeRoutes.ORDERS
            + " (bad input: recorded, never retried, replayable after a fix):");
    for (Entry e : rejected) {
      out.printf(
          Locale.ROOT,
          "  %-13s %-19s %s%n",
          e.status().displayName() + " " + e.layer(),
          e.dedupKey(),
          e.lastError());
    }
    out.println();
  }
}
