package dev.postoffice.benchmarks;

import dev.postoffice.core.Pipeline;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.micrometer.PostOfficeMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The harness's command line: {@code <scenario> [messages] [name=value ...]}.
 *
 * @param scenario inmemory, h2, postgresql, rabbit, sqs or downstream
 * @param messages messages per measured run
 * @param runs measured runs (the median is reported)
 * @param warmups warm-up runs before them
 * @param batchSize the route's batch size
 * @param concurrency worker threads per stage (and, downstream, the baseline's HTTP threads per
 *     node)
 * @param producers threads calling {@code intake.submit} (downstream: {@code CoreAppSender.send}),
 *     one message per call
 * @param baseline whether to measure the baseline too
 * @param window the most messages in flight (submitted, not yet finished): producers wait beyond
 *     it, so the run measures the pipeline's rate rather than how fast a backlog piles up; 0 for no
 *     limit
 * @param purge whether the in-memory store drops entries finished over a second ago, twice a
 *     second, as a long-running host does (steady state: the heap stays flat)
 * @param nodes engines sharing the store (and the broker), each with its own node id and, on a
 *     database, its own connection pool; submits are spread over them
 * @param prefill finished entries of another route written to the store before the runs, to see
 *     whether a large table slows the pipeline (JDBC stores only)
 * @param store the store under the scenarios that take one: {@code postgresql} or {@code h2}
 * @param memoryReceipts whether the Core App receiver of {@code rabbit} and {@code sqs} keeps its
 *     receipt log in memory ({@code receipts=memory}: a Core App recording receipts in its own
 *     handler's transaction) rather than in the database with {@code JdbcReceiptLog} ({@code
 *     receipts=jdbc}, the default)
 * @param rate messages per second the producers submit (upstream) or the Core App sends
 *     (downstream) at most, all together (0: as fast as they can): for the latency at a given load
 *     rather than at saturation
 * @param lingerMillis how long a stage waits for a batch to fill ({@code RouteSettings.linger}), in
 *     ms; -1 for the library's default
 * @param backlog messages waiting (Just In at layer 1 of the run's route) written to the store
 *     before each run; the run then submits nothing and carries the first {@code messages} of them,
 *     sampling the live heap as it goes, so runs with backlogs of different sizes show what the
 *     backlog's size costs (JDBC stores only)
 * @param listener the pipeline's listener: {@code none} (the default, {@link
 *     PipelineListener#EMPTY}: the engine builds no event) or {@code noop} (a listener that does
 *     nothing, so the runs show what building and reporting the events costs) or {@code micrometer}
 *     ({@code PostOfficeMetrics} from postoffice-micrometer on a {@code SimpleMeterRegistry}, so
 *     the runs show what the meters cost on top)
 * @param database the PostgreSQL database the tables go into ({@code test} unless set): a database
 *     of the harness's own keeps other clients out of the per-message statement and row counts
 */
record Options(
    String scenario,
    int messages,
    int runs,
    int warmups,
    int batchSize,
    int concurrency,
    int producers,
    boolean baseline,
    int window,
    boolean purge,
    int nodes,
    long prefill,
    String store,
    boolean memoryReceipts,
    int rate,
    int lingerMillis,
    long backlog,
    String listener,
    String database) {

  /** Every scenario, in the order the usage lists them. */
  static final List<String> SCENARIOS =
      List.of("inmemory", "h2", "postgresql", "rabbit", "sqs", "downstream");

  /** The scenarios that run on a store chosen with {@code store=}; the others name their store. */
  static final Set<String> STORE_CHOICE = Set.of("rabbit", "sqs", "downstream");

  private static final Set<String> NAMES =
      Set.of(
          "runs",
          "warmups",
          "batch",
          "concurrency",
          "producers",
          "baseline",
          "window",
          "purge",
          "nodes",
          "prefill",
          "store",
          "receipts",
          "rate",
          "linger",
          "backlog",
          "listener",
          "database");

  static Options parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException(usage());
    }
    String scenario = args[0];
    if (!SCENARIOS.contains(scenario)) {
      throw new IllegalArgumentException("unknown scenario " + scenario + "\n" + usage());
    }
    // Defaults sized so that one run takes seconds on a laptop: the in-memory path is two orders
    // faster.
    int defaultMessages =
        scenario.equals("inmemory") ? 200_000 : scenario.equals("h2") ? 20_000 : 10_000;
    int messages = defaultMessages;
    Map<String, String> named = new HashMap<>();
    for (int i = 1; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq < 0) {
        messages = Integer.parseInt(args[i]);
      } else {
        named.put(args[i].substring(0, eq), args[i].substring(eq + 1));
      }
    }
    Map<String, String> unknown = new HashMap<>(named);
    unknown.keySet().removeAll(NAMES);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + unknown.keySet() + "\n" + usage());
    }
    String store =
        named.getOrDefault(
            "store",
            STORE_CHOICE.contains(scenario)
                ? "postgresql"
                : scenario.equals("inmemory") ? "inmemory" : scenario);
    if (named.containsKey("store")
        && (!STORE_CHOICE.contains(scenario) || !Set.of("postgresql", "h2").contains(store))) {
      throw new IllegalArgumentException(
          "store=postgresql|h2 applies to rabbit, sqs and downstream only\n" + usage());
    }
    Options o =
        new Options(
            scenario,
            messages,
            Integer.parseInt(named.getOrDefault("runs", "3")),
            Integer.parseInt(named.getOrDefault("warmups", defaultWarmups(scenario))),
            Integer.parseInt(named.getOrDefault("batch", "100")),
            Integer.parseInt(named.getOrDefault("concurrency", "1")),
            Integer.parseInt(named.getOrDefault("producers", "2")),
            Boolean.parseBoolean(named.getOrDefault("baseline", "true")),
            Integer.parseInt(named.getOrDefault("window", "10000")),
            Boolean.parseBoolean(named.getOrDefault("purge", "true")),
            Integer.parseInt(named.getOrDefault("nodes", "1")),
            Long.parseLong(named.getOrDefault("prefill", "0")),
            store,
            receipts(named.getOrDefault("receipts", "jdbc")),
            Integer.parseInt(named.getOrDefault("rate", "0")),
            Integer.parseInt(named.getOrDefault("linger", "-1")),
            Long.parseLong(named.getOrDefault("backlog", "0")),
            named.getOrDefault("listener", "none"),
            named.getOrDefault("database", "test"));
    if (!Set.of("none", "noop", "micrometer").contains(o.listener())) {
      throw new IllegalArgumentException(
          "listener=none|noop|micrometer, not " + o.listener() + "\n" + usage());
    }
    if (o.nodes() < 1
        || o.runs() < 1
        || o.warmups() < 0
        || o.producers() < 1
        || o.prefill() < 0
        || o.rate() < 0
        || o.backlog() < 0) {
      throw new IllegalArgumentException(
          "nodes, runs and producers must be >= 1, warmups, prefill, rate and"
              + " backlog >= 0\n"
              + usage());
    }
    if ((o.prefill() > 0 || o.backlog() > 0) && o.store().equals("inmemory")) {
      throw new IllegalArgumentException(
          "prefill and backlog need a JDBC store (h2, postgresql or store=...)\n" + usage());
    }
    if (o.backlog() > 0 && o.scenario().equals("downstream")) {
      throw new IllegalArgumentException("backlog applies to the upstream scenarios\n" + usage());
    }
    if (o.backlog() > 0 && o.backlog() < o.messages()) {
      throw new IllegalArgumentException(
          "backlog="
              + o.backlog()
              + " is smaller than the "
              + o.messages()
              + " messages a run carries out of it\n"
              + usage());
    }
    return o;
  }

  /**
   * Whether the store is a database (so nodes get their own pools and entries can be pre-filled).
   */
  boolean jdbc() {
    return !store.equals("inmemory");
  }

  /** The route settings these options ask for: batch size, concurrency and, if given, linger. */
  RouteSettings routeSettings() {
    RouteSettings.Builder builder =
        RouteSettings.builder().batchSize(batchSize).concurrency(concurrency);
    if (lingerMillis >= 0) {
      builder.linger(Duration.ofMillis(lingerMillis));
    }
    return builder.build();
  }

  /**
   * A new listener for one pipeline: none (EMPTY), one that does nothing with each event, or a
   * {@link PostOfficeMetrics} (one per pipeline, as the binder serves one), which {@link
   * #bindMeters} then attaches to the built pipeline.
   */
  PipelineListener pipelineListener() {
    return switch (listener) {
      case "noop" -> new PipelineListener() {};
      case "micrometer" -> PostOfficeMetrics.ofDefaults();
      default -> PipelineListener.EMPTY;
    };
  }

  /**
   * Finishes the wiring the binder's Javadoc shows: attaches the built pipeline and binds a
   * registry of its own. Nothing scrapes it during a run, so the gauges never read the store: the
   * figures are the event meters' cost (a scrape every few seconds adds a few store reads, not per
   * message).
   */
  static void bindMeters(PipelineListener listener, Pipeline pipeline) {
    if (listener instanceof PostOfficeMetrics metrics) {
      metrics.attach(pipeline).bindTo(new SimpleMeterRegistry());
    }
  }

  private static boolean receipts(String value) {
    return switch (value) {
      case "jdbc" -> false;
      case "memory" -> true;
      default ->
          throw new IllegalArgumentException("receipts=jdbc|memory, not " + value + "\n" + usage());
    };
  }

  /**
   * Warm-up runs unless set: enough for the JIT compilers to finish with the scenario's code. The
   * round trip on RabbitMQ runs the most code (AMQP client, JDBC driver, Jackson, the engine); on
   * two cores its compilers were busy for the first minute (JFR: about 8 s of compiling per 10 s),
   * so its first runs measured the JIT.
   */
  private static String defaultWarmups(String scenario) {
    return switch (scenario) {
      case "inmemory" -> "2";
      case "rabbit" -> "3";
      default -> "1";
    };
  }

  static String usage() {
    return "usage: EndToEnd inmemory|h2|postgresql|rabbit|sqs|downstream [messages]\n"
        + "  [runs=3] [warmups=2 in memory, 3 on rabbit, else 1] [batch=100] [concurrency=1]\n"
        + "  [producers=2] [baseline=true]\n"
        + "  [window=10000] [purge=true] [nodes=1] [prefill=0] [store=postgresql|h2 (rabbit, sqs, downstream)]\n"
        + "  [rate=0 (msgs/s over all producers or core senders; 0 = no limit)] [receipts=jdbc|memory (rabbit, sqs)]\n"
        + "  [linger=ms (a stage's wait for its batch to fill; default the library's)]\n"
        + "  [backlog=0 (messages waiting at layer 1 before each run; the run carries the first `messages` of"
        + " them; JDBC stores)]\n"
        + "  [listener=none|noop|micrometer (none: no listener; noop: one that ignores every event;\n"
        + "   micrometer: PostOfficeMetrics on a SimpleMeterRegistry)]\n"
        + "  [database=test (the PostgreSQL database; one of the harness's own keeps others out of the counts)]\n"
        + "scenarios: inmemory = in-memory store and transport; h2, postgresql = that store, in-memory transport;\n"
        + "  rabbit = store + RabbitMQ at 127.0.0.1:5672 (guest/guest); sqs = store + SQS on an embedded ElasticMQ;\n"
        + "  downstream = CoreAppSender -> downstream route -> HttpDispatcher -> a loopback HTTP partner.\n"
        + "nodes=N runs N engines on one store (each its own node id and pool) and one broker; prefill=N writes N\n"
        + "  finished entries first. PostgreSQL: 127.0.0.1:5432, database test, user postgres;\n"
        + "  each run prints PostgreSQL's statements, rows written and WAL bytes per message.";
  }
}
