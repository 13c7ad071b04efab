package dev.postoffice.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * The harness's command line: {@code <scenario> [messages] [name=value ...]}.
 *
 * @param scenario inmemory, h2 or postgresql
 * @param messages messages per measured run
 * @param runs measured runs (the median is reported)
 * @param warmups warm-up runs before them
 * @param batchSize the route's batch size
 * @param concurrency worker threads per stage
 * @param producers threads calling {@code intake.submit}, one message per call
 * @param baseline whether to measure the baseline too
 * @param window the most messages in flight (submitted, not yet acknowledged): producers wait beyond it, so the
 *     run measures the pipeline's rate rather than how fast a backlog piles up; 0 for no limit
 * @param purge whether the in-memory store drops entries finished over a second ago, twice a second, as a
 *     long-running host does (steady state: the heap stays flat)
 */
record Options(String scenario, int messages, int runs, int warmups, int batchSize, int concurrency,
    int producers, boolean baseline, int window, boolean purge) {

  static Options parse(String[] args) {
    if (args.length == 0) {
      throw new IllegalArgumentException(usage());
    }
    String scenario = args[0];
    int defaultMessages = scenario.equals("inmemory") ? 200_000 : scenario.equals("h2") ? 20_000 : 10_000;
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
    Options o = new Options(scenario, messages,
        Integer.parseInt(named.getOrDefault("runs", "3")),
        Integer.parseInt(named.getOrDefault("warmups", scenario.equals("inmemory") ? "2" : "1")),
        Integer.parseInt(named.getOrDefault("batch", "100")),
        Integer.parseInt(named.getOrDefault("concurrency", "1")),
        Integer.parseInt(named.getOrDefault("producers", "2")),
        Boolean.parseBoolean(named.getOrDefault("baseline", "true")),
        Integer.parseInt(named.getOrDefault("window", "10000")),
        Boolean.parseBoolean(named.getOrDefault("purge", "true")));
    named.keySet().removeAll(java.util.Set.of("runs", "warmups", "batch", "concurrency", "producers", "baseline",
        "window", "purge"));
    if (!named.isEmpty()) {
      throw new IllegalArgumentException("unknown options " + named.keySet() + "\n" + usage());
    }
    return o;
  }

  static String usage() {
    return "usage: EndToEnd inmemory|h2|postgresql [messages] [runs=3] [warmups=2 in memory, else 1] [batch=100] [concurrency=1]"
        + " [producers=2] [baseline=true] [window=10000] [purge=true]";
  }
}
