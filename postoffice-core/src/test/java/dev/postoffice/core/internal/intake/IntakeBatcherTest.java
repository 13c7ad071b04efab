package dev.postoffice.core.internal.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.model.Direction;
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Payload;
import dev.postoffice.model.RouteId;
import dev.postoffice.model.TraceId;
import dev.postoffice.spi.IntakeResult;
import dev.postoffice.spi.NewEntry;
import dev.postoffice.spi.StatusStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Intake coalescing")
class IntakeBatcherTest {
  private static final RouteId ROUTE = RouteId.of("orders");
  private final Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
  private final InMemoryStatusStore memory = InMemoryStatusStore.create();
  private final List<Integer> callSizes = new CopyOnWriteArrayList<>();
  private final AtomicInteger calls = new AtomicInteger();

  /** Counted down as each of the first {@link IntakeBatcher#MAX_CALLS} store calls starts. */
  private final CountDownLatch firstCallsEntered = new CountDownLatch(IntakeBatcher.MAX_CALLS);

  private final CountDownLatch releaseFirstCalls = new CountDownLatch(1);
  private final ExecutorService pool = Executors.newFixedThreadPool(8);

  @AfterEach
  void stopPool() {
    releaseFirstCalls.countDown();
    pool.shutdownNow();
  }

  /**
   * The in-memory store, recording each intake call's size; the first {@link
   * IntakeBatcher#MAX_CALLS} calls (as many as may run at once) block until released.
   */
  private StatusStore store(Predicate<List<NewEntry>> refuse) {
    return (StatusStore)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {StatusStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("intake") && args.length == 2) {
                @SuppressWarnings("unchecked")
                List<NewEntry> entries = (List<NewEntry>) args[0];
                callSizes.add(entries.size());
                if (calls.incrementAndGet() <= IntakeBatcher.MAX_CALLS) {
                  firstCallsEntered.countDown();
                  releaseFirstCalls.await(10, TimeUnit.SECONDS);
                }
                if (refuse.test(entries)) {
                  throw new StoreUnavailableException("refused", null);
                }
              }
              try {
                return method.invoke(memory, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static NewEntry entry(String id) {
    return new NewEntry(
        EntryId.of(id),
        ROUTE,
        Direction.UPSTREAM,
        Layer.L1,
        Payload.json("{}"),
        Map.of(),
        null,
        TraceId.random(),
        null,
        "intake",
        null);
  }

  private static void awaitWaiting(IntakeBatcher batcher, int count) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (batcher.waiting() < count && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(batcher.waiting()).isEqualTo(count);
  }

  /**
   * Starts as many callers as may call the store at once, and returns once each is in its (blocked)
   * call.
   */
  private List<CompletableFuture<List<IntakeResult>>> occupyEveryCall(IntakeBatcher batcher)
      throws Exception {
    List<CompletableFuture<List<IntakeResult>>> first =
        IntStream.range(0, IntakeBatcher.MAX_CALLS)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> batcher.intake(List.of(entry("first-" + i))), pool))
            .toList();
    assertThat(firstCallsEntered.await(10, TimeUnit.SECONDS))
        .as("each of the first %d callers in a store call of its own", IntakeBatcher.MAX_CALLS)
        .isTrue();
    return first;
  }

  @Test
  @DisplayName(
      "two callers' store calls run at once: the second does not wait for the first's round trip")
  void overlaps() throws Exception {
    IntakeBatcher batcher = new IntakeBatcher(store(e -> false), clock);
    List<CompletableFuture<List<IntakeResult>>> two =
        IntStream.range(0, 2)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> batcher.intake(List.of(entry("x-" + i))), pool))
            .toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (calls.get() < 2 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(calls.get()).as("store calls started while the first is still running").isEqualTo(2);
    assertThat(batcher.waiting()).isZero();
    releaseFirstCalls.countDown();
    for (CompletableFuture<List<IntakeResult>> f : two) {
      assertThat(f.get(10, TimeUnit.SECONDS)).hasSize(1);
    }
    assertThat(callSizes).containsExactly(1, 1);
  }

  @Test
  @DisplayName(
      "callers arriving while every store call is taken wait, then are stored together, each with its own"
          + " results")
  void coalesces() throws Exception {
    IntakeBatcher batcher = new IntakeBatcher(store(e -> false), clock);
    List<CompletableFuture<List<IntakeResult>>> first = occupyEveryCall(batcher);
    List<String> ids = List.of("b", "c", "d");
    List<CompletableFuture<List<IntakeResult>>> later = new ArrayList<>();
    for (String id : ids) {
      later.add(CompletableFuture.supplyAsync(() -> batcher.intake(List.of(entry(id))), pool));
    }
    awaitWaiting(batcher, 3);
    assertThat(later).noneMatch(CompletableFuture::isDone);
    releaseFirstCalls.countDown();
    for (int i = 0; i < first.size(); i++) {
      assertThat(first.get(i).get(10, TimeUnit.SECONDS))
          .extracting(IntakeResult::entryId)
          .containsExactly(EntryId.of("first-" + i));
    }
    for (int i = 0; i < later.size(); i++) {
      assertThat(later.get(i).get(10, TimeUnit.SECONDS))
          .extracting(IntakeResult::entryId)
          .containsExactly(EntryId.of(ids.get(i)));
    }
    assertThat(callSizes).containsExactly(1, 1, 3);
    assertThat(memory.find(EntryId.of("d"))).isPresent();
  }

  @Test
  @DisplayName(
      "when a combined call fails, each caller's entries are stored alone and each gets its own outcome")
  void failureIsolated() throws Exception {
    IntakeBatcher batcher =
        new IntakeBatcher(
            store(entries -> entries.stream().anyMatch(e -> e.id().value().equals("poison"))),
            clock);
    List<CompletableFuture<List<IntakeResult>>> first = occupyEveryCall(batcher);
    CompletableFuture<List<IntakeResult>> good =
        CompletableFuture.supplyAsync(() -> batcher.intake(List.of(entry("b"))), pool);
    CompletableFuture<List<IntakeResult>> bad =
        CompletableFuture.supplyAsync(() -> batcher.intake(List.of(entry("poison"))), pool);
    awaitWaiting(batcher, 2);
    releaseFirstCalls.countDown();
    for (CompletableFuture<List<IntakeResult>> f : first) {
      assertThat(f.get(10, TimeUnit.SECONDS)).hasSize(1);
    }
    assertThat(good.get(10, TimeUnit.SECONDS))
        .extracting(IntakeResult::entryId)
        .containsExactly(EntryId.of("b"));
    assertThatThrownBy(() -> bad.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(StoreUnavailableException.class);
    assertThat(memory.find(EntryId.of("b"))).isPresent();
    assertThat(memory.find(EntryId.of("poison"))).isEmpty();
    assertThat(callSizes).containsExactly(1, 1, 2, 1, 1);
  }

  @Test
  @DisplayName("a lone caller is stored at once, in a call of its own")
  void alone() {
    releaseFirstCalls.countDown();
    IntakeBatcher batcher = new IntakeBatcher(store(e -> false), clock);
    assertThat(batcher.intake(List.of(entry("x"), entry("y")))).hasSize(2);
    assertThat(callSizes).containsExactly(2);
  }
}
