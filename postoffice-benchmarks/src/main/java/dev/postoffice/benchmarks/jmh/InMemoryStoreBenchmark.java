package dev.postoffice.benchmarks.jmh;

import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.model.RouteId;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The in-memory store alone, one thread: intake of 100 messages, then batched claim and commit
 * through the four layers. The score is messages per second (four entries and nine status changes
 * each).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
public class InMemoryStoreBenchmark {
  static final int BATCH = 100;

  private InMemoryStatusStore store;
  private final RouteId route = RouteId.of("bench");
  private final Instant now = Instant.parse("2030-01-01T00:00:00Z");

  /** A fresh store per iteration, so the heap does not fill up over the run. */
  @Setup(Level.Iteration)
  public void setUp() {
    store = InMemoryStatusStore.create();
  }

  /**
   * One batch of {@value #BATCH} messages through the four layers.
   *
   * @return the number that reached layer 4
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int claimAndCommit() {
    return StoreCycle.run(store, route, BATCH, now);
  }
}
