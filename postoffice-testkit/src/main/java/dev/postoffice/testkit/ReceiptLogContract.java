package dev.postoffice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.spi.ReceiptLog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link ReceiptLog} passes. An implementation's test extends it and gives a
 * factory:
 *
 * <pre>{@code
 * class InMemoryReceiptLogContractTest extends ReceiptLogContract {
 *   @Override
 *   protected ReceiptLog createLog() {
 *     return InMemoryReceiptLog.create();
 *   }
 * }
 * }</pre>
 *
 * <p>Every test uses consumer names of its own, so a log on a shared database does not leak between
 * tests.
 */
public abstract class ReceiptLogContract {
  private static final Instant AT = Instant.parse("2030-01-01T00:00:00Z");

  /** The log under test, fresh for each test. */
  protected ReceiptLog log;

  private String consumer;

  /**
   * Returns a new log to test. Called once per test.
   *
   * @return the log
   */
  protected abstract ReceiptLog createLog();

  @BeforeEach
  void createTheLog() {
    consumer = "consumer-" + UUID.randomUUID();
    log = createLog();
  }

  @Test
  @DisplayName("a message id is not handled until it is marked")
  void notHandledUntilMarked() {
    assertThat(log.isHandled(consumer, "m-1")).isFalse();
    log.markHandled(consumer, "m-1", AT);
    assertThat(log.isHandled(consumer, "m-1")).isTrue();
    assertThat(log.isHandled(consumer, "m-2")).isFalse();
  }

  @Test
  @DisplayName("marking twice is harmless")
  void idempotent() {
    log.markHandled(consumer, "m-1", AT);
    log.markHandled(consumer, "m-1", AT.plusSeconds(5));
    assertThat(log.isHandled(consumer, "m-1")).isTrue();
  }

  @Test
  @DisplayName("consumers do not see each other's marks")
  void consumersIsolated() {
    String other = consumer + "-other";
    log.markHandled(consumer, "m-1", AT);
    assertThat(log.isHandled(other, "m-1")).isFalse();
    log.markHandled(other, "m-2", AT);
    assertThat(log.isHandled(consumer, "m-2")).isFalse();
  }

  @Test
  @DisplayName("reads and marks many ids in one call each, repeats and earlier marks included")
  void batches() {
    log.markHandled(consumer, "m-0", AT);
    List<String> ids = new ArrayList<>();
    for (int i = 0;
        i < 1_234;
        i++) { // more than one statement's worth of parameters on some databases
      ids.add("m-" + i);
    }
    assertThat(log.handledAmong(consumer, ids)).containsExactly("m-0");
    assertThat(log.handledAmong(consumer, List.of())).isEmpty();
    List<String> marked = new ArrayList<>(ids.subList(0, 1_000));
    marked.add("m-5"); // twice in one call
    log.markAllHandled(consumer, marked, AT);
    log.markAllHandled(consumer, List.of(), AT);
    assertThat(log.handledAmong(consumer, ids))
        .hasSize(1_000)
        .contains("m-0", "m-5", "m-999")
        .doesNotContain("m-1000", "m-1233");
    assertThat(log.isHandled(consumer, "m-999")).isTrue();
    assertThat(log.isHandled(consumer, "m-1000")).isFalse();
    assertThat(log.handledAmong(consumer + "-other", ids)).isEmpty();
  }

  @Test
  @DisplayName("concurrent batch marks of overlapping ids are all kept")
  void concurrentBatches() throws Exception {
    int threads = 4;
    onThreads(
        threads,
        thread -> {
          for (int round = 0; round < 20; round++) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
              ids.add("own-" + thread + "-" + round + "-" + i);
              ids.add("shared-" + round + "-" + i);
            }
            log.markAllHandled(consumer, ids, AT);
          }
        });
    List<String> all = new ArrayList<>();
    for (int round = 0; round < 20; round++) {
      for (int i = 0; i < 25; i++) {
        all.add("shared-" + round + "-" + i);
        for (int t = 0; t < threads; t++) {
          all.add("own-" + t + "-" + round + "-" + i);
        }
      }
    }
    assertThat(log.handledAmong(consumer, all)).hasSize(all.size());
  }

  @Test
  @DisplayName("concurrent marks from several threads are all kept")
  void concurrent() throws Exception {
    int threads = 4;
    int perThread = 250;
    onThreads(
        threads,
        thread -> {
          for (int i = 0; i < perThread; i++) {
            // Every thread marks its own ids and one id all threads share.
            log.markHandled(consumer, "m-" + thread + "-" + i, AT);
            log.markHandled(consumer, "shared-" + i, AT);
          }
        });
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        assertThat(log.isHandled(consumer, "m-" + t + "-" + i)).isTrue();
        assertThat(log.isHandled(consumer, "shared-" + i)).isTrue();
      }
    }
  }

  /**
   * Runs the work on that many threads, started together, and waits for all of them (failing if one
   * failed).
   */
  private static void onThreads(int threads, IntConsumer work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  work.accept(thread);
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @DisplayName("handleOnce runs the work and marks the message; a second call skips the work")
  void handleOnceRunsOnce() throws Exception {
    List<Object> runs = new ArrayList<>();
    assertThat(log.handleOnce(consumer, "m-1", AT, tx -> runs.add("run"))).isTrue();
    assertThat(log.isHandled(consumer, "m-1")).isTrue();
    assertThat(log.handleOnce(consumer, "m-1", AT, tx -> runs.add("again"))).isFalse();
    assertThat(runs).containsExactly("run");
  }

  @Test
  @DisplayName(
      "handleOnce with work that throws passes the exception on and leaves the message unmarked")
  void handleOnceFailureLeavesUnmarked() throws Exception {
    IllegalStateException boom = new IllegalStateException("boom");
    assertThatThrownBy(
            () ->
                log.handleOnce(
                    consumer,
                    "m-1",
                    AT,
                    tx -> {
                      throw boom;
                    }))
        .isSameAs(boom);
    assertThat(log.isHandled(consumer, "m-1")).isFalse();
    assertThat(log.handleOnce(consumer, "m-1", AT, tx -> {})).isTrue();
  }

  @Test
  @DisplayName(
      "handleOnce gives its work a transaction of transactionType(), or none when that is null")
  void handleOnceTransaction() throws Exception {
    Object[] given = new Object[1];
    log.handleOnce(consumer, "m-1", AT, tx -> given[0] = tx);
    if (log.transactionType() == null) {
      assertThat(given[0]).isNull();
    } else {
      assertThat(given[0]).isInstanceOf(log.transactionType());
    }
  }
}
