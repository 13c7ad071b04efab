package dev.postoffice.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/** Small helpers for the figures the harness prints. */
final class Stats {
  private Stats() {}

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** CPU time this process used so far, all threads, in nanoseconds; -1 if the JVM cannot tell. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.OperatingSystemMXBean sun
        ? sun.getProcessCpuTime()
        : -1;
  }

  /**
   * Bytes allocated so far by each live thread, by thread id (empty if the JVM cannot tell). A
   * thread that ends takes its count with it: {@link #allocatedSince} adds what such threads report
   * through {@link #threadEnding}.
   */
  static Map<Long, Long> allocatedBytes() {
    Map<Long, Long> bytes = new HashMap<>();
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
        && threads.isThreadAllocatedMemorySupported()
        && threads.isThreadAllocatedMemoryEnabled()) {
      long[] ids = threads.getAllThreadIds();
      long[] allocated = threads.getThreadAllocatedBytes(ids);
      for (int i = 0; i < ids.length; i++) {
        if (allocated[i] >= 0) {
          bytes.put(ids[i], allocated[i]);
        }
      }
    }
    return bytes;
  }

  private static final AtomicLong ENDED_THREADS_BYTES = new AtomicLong();

  /** Called by a thread started during a run as it ends, so that its allocation is counted. */
  static void threadEnding() {
    if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads) {
      long bytes = threads.getCurrentThreadAllocatedBytes();
      if (bytes > 0) {
        ENDED_THREADS_BYTES.addAndGet(bytes);
      }
    }
  }

  /** A mark to measure allocation from: every live thread's count and the ended threads' total. */
  record AllocationMark(Map<Long, Long> bytes, long ended) {
    static AllocationMark now() {
      return new AllocationMark(allocatedBytes(), ENDED_THREADS_BYTES.get());
    }

    /** Bytes all threads allocated since this mark (threads started since count from zero). */
    long allocatedSince() {
      long total = ENDED_THREADS_BYTES.get() - ended;
      for (Map.Entry<Long, Long> now : allocatedBytes().entrySet()) {
        total += Math.max(0, now.getValue() - bytes.getOrDefault(now.getKey(), 0L));
      }
      return total;
    }
  }

  /** Milliseconds all garbage collectors spent so far. */
  static long gcMillis() {
    long total = 0;
    for (java.lang.management.GarbageCollectorMXBean gc :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      total += Math.max(0, gc.getCollectionTime());
    }
    return total;
  }

  /**
   * Milliseconds the JIT compilers spent so far (their threads' time, summed), or -1 if the JVM
   * cannot tell. A run during which the compilers were busy was not yet steady: on two cores they
   * take CPU from the pipeline.
   */
  static long jitMillis() {
    java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit != null && jit.isCompilationTimeMonitoringSupported()
        ? jit.getTotalCompilationTime()
        : -1;
  }

  static long heapUsedBytes() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * The load average as {@code uptime} shows it, so figures can be read against the machine's load.
   */
  static String load() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  /** Samples the heap every few milliseconds and keeps the peak. */
  static final class HeapPeak implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak;

    HeapPeak() {
      thread =
          new Thread(
              () -> {
                while (running) {
                  peak = Math.max(peak, heapUsedBytes());
                  try {
                    Thread.sleep(20);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              },
              "heap-peak");
      thread.setDaemon(true);
      thread.start();
    }

    long peakMegabytes() {
      return Math.max(peak, heapUsedBytes()) / (1024 * 1024);
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }
  }

  /**
   * Samples the live heap during a run: every few seconds a full GC, then the heap in use, keeping
   * the highest. The GCs cost the run some time, so it is used only where retention is the question
   * (a backlog run).
   */
  static final class LiveHeap implements AutoCloseable {
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long peak = -1;

    LiveHeap(long everyMillis) {
      thread =
          new Thread(
              () -> {
                while (running) {
                  try {
                    Thread.sleep(everyMillis);
                  } catch (InterruptedException e) {
                    return;
                  }
                  System.gc();
                  peak = Math.max(peak, heapUsedBytes());
                }
              },
              "live-heap");
      thread.setDaemon(true);
      thread.start();
    }

    /** The highest live heap sampled, in MB, or -1 if the run ended before the first sample. */
    long peakMegabytes() {
      return peak < 0 ? -1 : peak / (1024 * 1024);
    }

    @Override
    public void close() {
      running = false;
      thread.interrupt();
    }
  }
}
