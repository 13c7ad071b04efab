package dev.postoffice.benchmarks;

import java.util.Arrays;

/**
 * What one measured run saw.
 *
 * @param messages messages carried to the finish line
 * @param seconds from the first submit to the last message's final status
 * @param p50Micros median latency of the sampled messages, submit to final status, in µs
 * @param p99Micros 99th percentile of the same
 * @param heapPeakMegabytes the highest heap use sampled during the run
 * @param cpuMicrosPerMessage process CPU time per message
 * @param gcMillis time the collectors took during the run
 * @param liveHeapMegabytes heap in use after the run and a full GC: what the pipeline and its store
 *     hold
 * @param overtaken upstream only: acknowledgements recorded before the publisher's confirmation
 *     record
 * @param liveDuringRunMegabytes the highest live heap sampled during the run (a full GC every few
 *     seconds), or -1 when not sampled (only runs with a backlog sample it)
 * @param allocatedBytesPerMessage bytes all threads allocated during the run, per message (the
 *     JVM's per-thread counters: independent of the machine's load), or -1 when not measured
 * @param submit how long a producer's call took ({@code Intake.submit} upstream, {@code
 *     CoreAppSender.send} downstream: what a webhook's caller or the core waits for), or {@link
 *     Latency#NONE} when nothing was submitted
 */
record RunResult(
    int messages,
    double seconds,
    long p50Micros,
    long p99Micros,
    long heapPeakMegabytes,
    double cpuMicrosPerMessage,
    long gcMillis,
    long liveHeapMegabytes,
    long overtaken,
    long liveDuringRunMegabytes,
    double allocatedBytesPerMessage,
    Latency submit) {
  /**
   * A latency distribution's median and 99th percentile.
   *
   * @param p50Micros the median, in µs, or -1 if there were no samples
   * @param p99Micros the 99th percentile, in µs, or -1
   */
  record Latency(long p50Micros, long p99Micros) {
    static final Latency NONE = new Latency(-1, -1);

    /**
     * @param nanos one duration per call, in ns, in any order (sorted in place) @return their
     *     percentiles
     */
    static Latency ofNanos(long[] nanos) {
      if (nanos.length == 0) {
        return NONE;
      }
      Arrays.sort(nanos);
      return new Latency(Stats.percentile(nanos, 50) / 1000, Stats.percentile(nanos, 99) / 1000);
    }
  }

  double rate() {
    return messages / seconds;
  }
}
