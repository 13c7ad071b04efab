package dev.postoffice.benchmarks;

import dev.postoffice.model.Entry;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.ForwardingStatusStore;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A store that passes every call on and watches for entries becoming {@code ACKNOWLEDGED}: it
 * counts them (the harness's finish line) and, for a sample of traces, records when, so latency is
 * intake to the final status as the store recorded it, whichever path the engine took.
 */
final class AckClock extends ForwardingStatusStore {
  /** One trace in {@code SAMPLE_MASK + 1} is timed. */
  static final int SAMPLE_MASK = 15;

  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong overtaken = new AtomicLong();
  private final Map<TraceId, Long> submittedAt = new ConcurrentHashMap<>();
  private final Map<TraceId, Long> acknowledgedAt = new ConcurrentHashMap<>();

  /** The layer-4 entries of the sampled traces, noted as the hand-off commits them. */
  private final Map<EntryId, TraceId> sampledLayer4 = new ConcurrentHashMap<>();

  AckClock(StatusStore delegate) {
    super(delegate);
  }

  static boolean sampled(TraceId trace) {
    return (trace.hashCode() & SAMPLE_MASK) == 0;
  }

  /** Records when intake started for a sampled trace. */
  void submitted(TraceId trace, long nanos) {
    if (sampled(trace)) {
      submittedAt.put(trace, nanos);
    }
  }

  long acknowledged() {
    return acknowledged.get();
  }

  /** Latencies in microseconds of the sampled traces, sorted. */
  long[] latenciesMicros() {
    long[] out =
        submittedAt.entrySet().stream()
            .filter(e -> acknowledgedAt.containsKey(e.getKey()))
            .mapToLong(e -> (acknowledgedAt.get(e.getKey()) - e.getValue()) / 1000)
            .toArray();
    Arrays.sort(out);
    return out;
  }

  /** Acknowledgements that arrived before the publisher recorded the broker's confirmation. */
  long overtaken() {
    return overtaken.get();
  }

  private void observe(Optional<Entry> result, Status to) {
    if (to == Status.QUEUED && result.isPresent()) {
      overtaken.incrementAndGet();
    }
    if (to == Status.ACKNOWLEDGED && result.isPresent()) {
      acknowledged.incrementAndGet();
      TraceId trace = result.get().traceId();
      if (sampled(trace)) {
        acknowledgedAt.put(trace, System.nanoTime());
      }
    }
  }

  @Override
  public Optional<Entry> transition(
      EntryId id, Set<Status> from, Status to, String detail, Instant now) {
    Optional<Entry> result = super.transition(id, from, to, detail, now);
    observe(result, to);
    return result;
  }

  @Override
  public CommitResult commit(List<Completion> completions, Instant now) {
    for (Completion c : completions) {
      for (NewEntry out : c.outputs()) {
        if (out.layer() == Layer.L4 && sampled(out.traceId())) {
          sampledLayer4.put(out.id(), out.traceId());
        }
      }
    }
    return super.commit(completions, now);
  }

  @Override
  public Set<EntryId> transitionAll(
      Collection<EntryId> ids, Set<Status> from, Status to, String detail, Instant now) {
    Set<EntryId> moved = super.transitionAll(ids, from, to, detail, now);
    if (to == Status.QUEUED) {
      overtaken.addAndGet(moved.size());
    }
    if (to == Status.ACKNOWLEDGED) {
      long at = System.nanoTime();
      for (EntryId id : moved) {
        TraceId trace = sampledLayer4.remove(id);
        if (trace != null) {
          acknowledgedAt.put(trace, at);
        }
      }
      acknowledged.addAndGet(moved.size());
    }
    return moved;
  }
}
