package dev.postoffice.benchmarks.jmh;

import dev.postoffice.jdbc.JdbcDialect;
import dev.postoffice.jdbc.JdbcStatusStore;
import dev.postoffice.model.RouteId;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
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
 * The JDBC store on H2 (in memory) alone, one thread: intake of 100 messages, then batched claim
 * and commit through the four layers. The score is messages per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class H2StoreBenchmark {
  static final int BATCH = 100;

  private JdbcStatusStore store;
  private final RouteId route = RouteId.of("bench");
  private final Instant now = Instant.parse("2030-01-01T00:00:00Z");

  /** A fresh database per iteration. */
  @Setup(Level.Iteration)
  public void setUp() {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:jmh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    store = JdbcStatusStore.builder(h2).dialect(JdbcDialect.H2).build();
    store.migrate();
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
