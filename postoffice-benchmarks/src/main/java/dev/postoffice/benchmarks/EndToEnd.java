package dev.postoffice.benchmarks;

import dev.postoffice.RawMessage;
import dev.postoffice.codec.JacksonCodec;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The end-to-end harness: one command per scenario, printing msgs/s (median of the measured runs
 * after the warm-up), p50/p99 latency from intake (downstream: from the Core App's send) to the
 * final status, the heap's peak, and an in-run baseline with the ratio. Scenarios:
 *
 * <ul>
 *   <li>{@code inmemory}: in-memory store and transport; baseline, the same Jackson stages on a
 *       bare pool;
 *   <li>{@code h2}, {@code postgresql}: that store, in-memory transport; baseline, the same rows in
 *       plain JDBC;
 *   <li>{@code rabbit}: PostgreSQL (or {@code store=h2}) and RabbitMQ at 127.0.0.1:5672, Core App
 *       receiver with a JDBC receipt log; baseline, the plain RabbitMQ client's confirmed round
 *       trip ({@link RabbitBaseline});
 *   <li>{@code sqs}: PostgreSQL (or {@code store=h2}) and SQS on an embedded ElasticMQ; baseline,
 *       the plain SqsClient's send, receive and delete ({@link SqsBaseline});
 *   <li>{@code downstream}: CoreAppSender, downstream route, HttpDispatcher to a loopback partner,
 *       on PostgreSQL (or {@code store=h2}); baseline, the same POSTs with a plain HttpClient
 *       ({@link HttpBaseline}).
 * </ul>
 *
 * <p>A scenario whose service (PostgreSQL at 127.0.0.1:5432, RabbitMQ) is unreachable prints {@code
 * SKIPPED: ...} and ends.
 *
 * <pre>
 * ./mvnw -q -pl postoffice-benchmarks -am package -DskipTests -Pbench -Dbench.args="inmemory 200000"
 * ./mvnw -q -pl postoffice-benchmarks -am package -DskipTests -Pbench -Dbench.args="rabbit 10000 nodes=2"
 * </pre>
 */
public final class EndToEnd {
  private EndToEnd() {}

  /**
   * Runs a scenario.
   *
   * @param args {@code <scenario> [messages] [name=value ...]}, see {@link Options#usage()}
   */
  public static void main(String[] args) {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    int status = 0;
    try {
      run(o, System.out);
    } catch (Exception e) {
      e.printStackTrace();
      status = 1;
    }
    // Client libraries (ElasticMQ's actors, HTTP and AMQP clients) may leave non-daemon threads
    // behind.
    System.exit(status);
  }

  /**
   * Runs a scenario and prints its figures.
   *
   * @param o the options
   * @param out where to print
   * @return the median rate in msgs/s, or -1 if the scenario was skipped
   * @throws Exception on failure
   */
  static double run(Options o, PrintStream out) throws Exception {
    List<RawMessage> messages = Workload.messages(o.messages());
    out.printf(
        Locale.ROOT,
        "scenario %s: %,d messages of ~%d bytes, store %s, %d node(s), %,d pre-filled"
            + " entries, %,d waiting, batch %d, concurrency %d, %d producer(s), window %,d, %d warm-up + %d measured"
            + " run(s); load %s%n",
        o.scenario(),
        o.messages(),
        Workload.json(0).length,
        o.store(),
        o.nodes(),
        o.prefill(),
        o.backlog(),
        o.batchSize(),
        o.concurrency(),
        o.producers(),
        o.window(),
        o.warmups(),
        o.runs(),
        Stats.load());
    if (o.scenario().equals("rabbit") && !RabbitScenario.reachable()) {
      out.println(
          "SKIPPED: RabbitMQ is not reachable at "
              + RabbitScenario.HOST
              + ":"
              + RabbitScenario.PORT);
      return -1;
    }
    // Null resources are allowed here: a scenario opens only what it uses.
    try (StoreSetup store = StoreSetup.open(o, out);
        SqsScenario sqs = store != null && o.scenario().equals("sqs") ? new SqsScenario() : null;
        PartnerServer partner =
            store != null && o.scenario().equals("downstream") ? new PartnerServer() : null) {
      if (store == null) {
        return -1;
      }
      double[] rates = new double[o.runs()];
      double[] cpus = new double[o.runs()];
      double[] wal = new double[o.runs()];
      RunResult last = null;
      for (int r = -o.warmups(); r < o.runs(); r++) {
        System.gc();
        String route = "bench-" + (r + o.warmups());
        if (o.backlog() > 0) {
          store.backlog(route, o.backlog(), out);
        }
        PgWork.Counters pgBefore = store.postgres() ? PgWork.snapshot(store.dataSource()) : null;
        long jitBefore = Stats.jitMillis();
        RunResult result = runOnce(o, store, sqs, partner, route, messages);
        long jitMillis = jitBefore < 0 ? -1 : Stats.jitMillis() - jitBefore;
        PgWork.Counters pgAfter = pgBefore == null ? null : PgWork.snapshot(store.dataSource());
        out.printf(
            Locale.ROOT,
            "  %s %d: %,.0f msgs/s (%,d msgs in %.2f s), CPU %.1f µs/msg,%s p50 %s, p99 %s,%s"
                + " heap peak %,d MB (live after the run %,d MB%s), GC %,d ms, JIT %s%s%n",
            r < 0 ? "warm-up" : "run",
            r < 0 ? r + o.warmups() + 1 : r + 1,
            result.rate(),
            result.messages(),
            result.seconds(),
            result.cpuMicrosPerMessage(),
            result.allocatedBytesPerMessage() < 0
                ? ""
                : String.format(
                    Locale.ROOT, " allocated %,.0f bytes/msg,", result.allocatedBytesPerMessage()),
            millis(result.p50Micros()),
            millis(result.p99Micros()),
            result.submit().p50Micros() < 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    " %s p50 %.2f ms, p99 %.2f ms,",
                    o.scenario().equals("downstream") ? "send" : "submit",
                    result.submit().p50Micros() / 1000.0,
                    result.submit().p99Micros() / 1000.0),
            result.heapPeakMegabytes(),
            result.liveHeapMegabytes(),
            result.liveDuringRunMegabytes() < 0
                ? ""
                : String.format(
                    Locale.ROOT,
                    "; live during it, at most, %,d MB",
                    result.liveDuringRunMegabytes()),
            result.gcMillis(),
            jitMillis < 0 ? "n/a" : String.format(Locale.ROOT, "%,d ms", jitMillis),
            o.scenario().equals("downstream")
                ? ""
                : String.format(
                    Locale.ROOT, ", acks ahead of the confirm record %,d", result.overtaken()));
        if (pgAfter != null) {
          out.println("    " + pgAfter.perMessage(pgBefore, result.messages()));
        }
        if (r >= 0) {
          rates[r] = result.rate();
          cpus[r] = result.cpuMicrosPerMessage();
          wal[r] =
              pgAfter == null ? Double.NaN : pgAfter.walPerMessage(pgBefore, result.messages());
          last = result;
        }
      }
      double median = Stats.median(rates);
      double cpu = Stats.median(cpus);
      double[] baseline =
          o.baseline()
              ? baseline(o, messages, store, sqs, partner)
              : new double[] {Double.NaN, Double.NaN};
      out.printf(
          Locale.ROOT,
          "RESULT %s: %,d msgs, %d node(s), %,d pre-filled; %,.0f msgs/s median, CPU %.1f"
              + " µs/msg, p50 %s, p99 %s (last run), heap peak %,d MB, live after the last run %,d MB;"
              + " baseline %s %,.0f msgs/s, CPU %.1f µs/msg; ratio %.2f (CPU ratio %.2f); load %s; listener %s%s%n",
          o.scenario(),
          o.messages(),
          o.nodes(),
          o.prefill(),
          median,
          cpu,
          millis(last.p50Micros()),
          millis(last.p99Micros()),
          last.heapPeakMegabytes(),
          last.liveHeapMegabytes(),
          baselineName(o),
          baseline[0],
          baseline[1],
          median / baseline[0],
          baseline[1] / cpu,
          Stats.load(),
          o.listener(),
          store.postgres()
              ? String.format(Locale.ROOT, "; WAL %,.0f bytes/msg (median)", Stats.median(wal))
              : "");
      return median;
    }
  }

  private static RunResult runOnce(
      Options o,
      StoreSetup store,
      SqsScenario sqs,
      PartnerServer partner,
      String route,
      List<RawMessage> messages)
      throws Exception {
    if (partner != null) {
      return DownstreamRun.run(store.storesForRun(), partner, route, messages.size(), o);
    }
    try (RunBroker broker =
        switch (o.scenario()) {
          case "rabbit" -> RabbitScenario.broker(o.nodes());
          case "sqs" -> sqs.broker(o.nodes());
          default -> RunBroker.inMemory(messages.size());
        }) {
      boolean realBroker = o.scenario().equals("rabbit") || o.scenario().equals("sqs");
      return UpstreamRun.run(
          store.storesForRun(),
          broker,
          store.receiptLog(realBroker && !o.memoryReceipts()),
          route,
          messages,
          o);
    }
  }

  /**
   * A latency percentile in ms, or "n/a" when the run timed nothing (a backlog run submits
   * nothing).
   */
  private static String millis(long micros) {
    return micros < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  private static String baselineName(Options o) {
    return switch (o.scenario()) {
      case "inmemory" -> "(bare 2-thread pool, same Jackson stages)";
      case "rabbit" ->
          "(plain RabbitMQ client: confirmed publish, consume, ack published back, consumed)";
      case "sqs" -> "(plain SqsClient, one leg: sendMessageBatch, receive, deleteMessageBatch)";
      case "downstream" ->
          "(plain HttpClient, same POSTs, " + o.concurrency() * o.nodes() + " thread(s))";
      default -> "(plain JDBC, same rows, batch " + o.batchSize() + ")";
    };
  }

  /** The baseline's median rate and CPU per message, after one warm-up round. */
  private static double[] baseline(
      Options o,
      List<RawMessage> messages,
      StoreSetup store,
      SqsScenario sqs,
      PartnerServer partner)
      throws Exception {
    JacksonCodec codec = JacksonCodec.create();
    // What the pipeline publishes at layer 4, so the brokers' baselines carry messages of the same
    // size.
    byte[] coreMessage =
        codec.encode(Workload.translate(Workload.normalize(codec, messages.get(0)))).bytes();
    double[] rates = new double[o.runs()];
    double[] cpus = new double[rates.length];
    for (int r = -1; r < rates.length; r++) {
      double[] measured =
          switch (o.scenario()) {
            case "inmemory" -> JacksonBaseline.run(messages);
            case "rabbit" -> RabbitBaseline.run(messages.size(), coreMessage);
            case "sqs" -> SqsBaseline.run(sqs, messages.size(), coreMessage);
            case "downstream" ->
                HttpBaseline.run(partner, messages.size(), o.concurrency() * o.nodes());
            default -> JdbcBaseline.run(store.dataSource(), messages.size(), o.batchSize());
          };
      if (r >= 0) {
        rates[r] = messages.size() / measured[0];
        cpus[r] = measured[1];
      }
    }
    return new double[] {Stats.median(rates), Stats.median(cpus)};
  }
}
