package dev.postoffice.benchmarks.jmh;

import dev.postoffice.Intake;
import dev.postoffice.RawMessage;
import dev.postoffice.benchmarks.Workload;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.Codec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The engine's own cost per message, without Jackson: a manually scheduled upstream route on the
 * in-memory store and transport whose normalizer and translator pass the payload through. One
 * invocation takes 100 messages in with one {@code submitAll} and carries them through the four
 * stages (each stage hands its outputs to the next in memory, pre-claimed) to a confirmed publish.
 * The score is messages per second on one thread; its inverse is the library's CPU per message on
 * the store-and-stage path.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class EngineHandOffBenchmark {
  static final int BATCH = 100;

  private Pipeline pipeline;
  private Intake intake;
  private InMemoryTransport transport;
  private final List<RawMessage> messages = new ArrayList<>();

  /** Carries payloads through unchanged: the model type is {@link Payload} itself. */
  static final class PassThroughCodec implements Codec {
    @Override
    public Payload encode(Object value) {
      return (Payload) value;
    }

    @Override
    public <T> T decode(Payload payload, Class<T> type) {
      return type.cast(payload);
    }
  }

  /** A fresh pipeline per iteration, so the heap does not fill up over the run. */
  @Setup(Level.Iteration)
  public void setUp() {
    transport = InMemoryTransport.builder().capacityPerDestination(10_000_000).build();
    Route route =
        Route.upstream("jmh")
            .normalize(Payload.class, RawMessage::payload)
            .translate(Payload.class, List::of)
            .publishTo("core.jmh")
            .build();
    pipeline =
        PostOffice.builder()
            .store(InMemoryStatusStore.create())
            .transport(transport)
            .codec(new PassThroughCodec())
            .manualScheduling()
            .route(route)
            .build()
            .start();
    intake = pipeline.intake("jmh");
    if (messages.isEmpty()) {
      for (int i = 0; i < BATCH; i++) {
        messages.add(new RawMessage(Payload.of(Workload.json(i), Payload.JSON), Map.of(), null));
      }
    }
  }

  /** Stops the pipeline. */
  @TearDown(Level.Iteration)
  public void tearDown() {
    pipeline.stop(Duration.ofSeconds(5));
    transport.close();
  }

  /**
   * Takes {@value #BATCH} messages in and runs the stages until they are published.
   *
   * @return entries worked on
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int fourStages() {
    intake.submitAll(messages);
    int worked = 0;
    int step;
    while ((step = pipeline.runOnce()) > 0) {
      worked += step;
    }
    return worked;
  }
}
