package dev.postoffice.benchmarks.jmh;

import dev.postoffice.benchmarks.Workload;
import dev.postoffice.benchmarks.Workload.CoreOrder;
import dev.postoffice.benchmarks.Workload.PartnerOrder;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.model.Payload;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Jackson codec on the workload's ~500-byte partner order and its core order. Scores in ns per
 * call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {
  private final JacksonCodec codec = JacksonCodec.create();
  private final Payload raw = Payload.of(Workload.json(7), Payload.JSON);
  private final PartnerOrder order = codec.decode(raw, PartnerOrder.class);
  private final Payload core = codec.encode(Workload.translate(order));

  /**
   * @return the partner order parsed from its JSON
   */
  @Benchmark
  public PartnerOrder decodePartnerOrder() {
    return codec.decode(raw, PartnerOrder.class);
  }

  /**
   * @return the partner order written as JSON
   */
  @Benchmark
  public Payload encodePartnerOrder() {
    return codec.encode(order);
  }

  /**
   * @return the core order parsed from its JSON
   */
  @Benchmark
  public CoreOrder decodeCoreOrder() {
    return codec.decode(core, CoreOrder.class);
  }
}
