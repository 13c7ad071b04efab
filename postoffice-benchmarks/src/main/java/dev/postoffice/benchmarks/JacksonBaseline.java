package dev.postoffice.benchmarks;

import dev.postoffice.RawMessage;
import dev.postoffice.benchmarks.Workload.CoreOrder;
import dev.postoffice.benchmarks.Workload.PartnerOrder;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.model.Payload;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The in-memory baseline the issue names: a bare pool of two threads running the same four stages
 * with the same Jackson work (normalize: decode and encode; translate: decode, map, encode;
 * hand-off: a copy; the Core App: decode), with no store, no statuses and no queues between stages.
 */
final class JacksonBaseline {
  private static final int CHUNK = 256;

  private JacksonBaseline() {}

  /**
   * Returns the seconds it took to carry every message through, and the process CPU per message in
   * µs.
   */
  static double[] run(List<RawMessage> messages) throws InterruptedException {
    JacksonCodec codec = JacksonCodec.create();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    AtomicLong sink = new AtomicLong();
    int chunks = (messages.size() + CHUNK - 1) / CHUNK;
    CountDownLatch done = new CountDownLatch(chunks);
    long cpuBefore = Stats.processCpuNanos();
    long started = System.nanoTime();
    try {
      for (int c = 0; c < chunks; c++) {
        int from = c * CHUNK;
        int to = Math.min(messages.size(), from + CHUNK);
        pool.execute(
            () -> {
              long total = 0;
              for (int i = from; i < to; i++) {
                Payload l2 = codec.encode(Workload.normalize(codec, messages.get(i)));
                Payload l3 = codec.encode(Workload.translate(codec.decode(l2, PartnerOrder.class)));
                Payload l4 = Payload.of(l3.bytes(), l3.contentType());
                total += codec.decode(l4, CoreOrder.class).totalCents();
              }
              sink.addAndGet(total);
              done.countDown();
            });
      }
      done.await();
      double seconds = (System.nanoTime() - started) / 1e9;
      return new double[] {
        seconds, (Stats.processCpuNanos() - cpuBefore) / 1000.0 / messages.size()
      };
    } finally {
      pool.shutdown();
    }
  }
}
