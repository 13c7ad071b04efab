package dev.postoffice.benchmarks;

import dev.postoffice.DispatchResult;
import dev.postoffice.Dispatcher;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.CommitResult;
import dev.postoffice.spi.Completion;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.ForwardingStatusStore;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The downstream run's finish line and latency clock. It watches the stores' commits for layer-1
 * entries becoming {@code DISPATCHED} and counts them; for a sample of traces it times send (the
 * Core App's {@code CoreAppSender.send}) to the commit that recorded {@code DISPATCHED}, joining
 * the two through the dispatcher (which sees the trace and the entry id).
 *
 * <p>The store is watched through a dynamic proxy rather than a hand-written delegate so that it
 * passes on every method of {@link StatusStore}, default methods included (the JDBC store's batched
 * overrides stay in use), whatever methods the SPI gains later.
 */
final class DispatchClock {
  /** One message in {@code SAMPLE_MASK + 1} is timed, as upstream. */
  static final int SAMPLE_MASK = 15;

  private final AtomicLong dispatched = new AtomicLong();
  private final Map<TraceId, Long> sentAt = new ConcurrentHashMap<>();
  private final Map<EntryId, Long> answered = new ConcurrentHashMap<>();
  private final Queue<Long> latencies = new ConcurrentLinkedQueue<>();

  /** Records when the Core App sent a sampled trace. */
  void sent(TraceId trace, long nanos) {
    sentAt.put(trace, nanos);
  }

  long dispatched() {
    return dispatched.get();
  }

  /** Latencies in microseconds of the sampled traces, sorted. */
  long[] latenciesMicros() {
    return latencies.stream().mapToLong(Long::longValue).sorted().toArray();
  }

  /** Wraps the dispatcher so that a sampled trace's entry id is known when its commit comes. */
  Dispatcher dispatcher(Dispatcher partner) {
    return (request, context) -> {
      DispatchResult result = partner.dispatch(request, context);
      Long sent = sentAt.get(context.traceId());
      if (sent != null) {
        answered.put(context.entryId(), sent);
      }
      return result;
    };
  }

  /** Returns the store, watched. */
  StatusStore watch(StatusStore store) {
    return new ForwardingStatusStore(store) {
      @Override
      public CommitResult commit(List<Completion> completions, Instant now) {
        CommitResult committed = super.commit(completions, now);
        observe(completions, committed);
        return committed;
      }
    };
  }

  private void observe(List<Completion> completions, CommitResult committed) {
    Set<EntryId> toDispatched = new HashSet<>();
    for (Completion c : completions) {
      if (c.newStatus() == Status.DISPATCHED) {
        toDispatched.add(c.entryId());
      }
    }
    if (toDispatched.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (EntryId id : committed.applied()) {
      if (toDispatched.contains(id)) {
        dispatched.incrementAndGet();
        Long sent = answered.remove(id);
        if (sent != null) {
          latencies.add((now - sent) / 1000);
        }
      }
    }
  }
}
