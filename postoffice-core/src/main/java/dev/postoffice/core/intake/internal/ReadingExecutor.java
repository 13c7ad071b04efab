package dev.postoffice.core.intake.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The executor the JDK HTTP server runs each request on, giving every request a {@link
 * ReadDeadline}. The JDK server hands a connection to its executor as soon as it has bytes to read,
 * and the task reads the request line and headers before it calls the handler: so the deadline
 * starts here, and covers a client that sends its headers slowly as well as one that sends its body
 * slowly. The handler finds the deadline of its request with {@link #current()}.
 */
public final class ReadingExecutor implements Executor {
  private static final ThreadLocal<ReadDeadline> CURRENT = new ThreadLocal<>();

  private final ExecutorService readers;
  private final ScheduledExecutorService watchdog;
  private final Duration timeout;

  /**
   * Creates the executor.
   *
   * @param readers the threads requests are read on
   * @param watchdog the thread that cuts off requests past their deadline
   * @param timeout the time a request has to be read
   */
  public ReadingExecutor(
      ExecutorService readers, ScheduledExecutorService watchdog, Duration timeout) {
    this.readers = readers;
    this.watchdog = watchdog;
    this.timeout = timeout;
  }

  /**
   * Returns the deadline of the request the current thread serves.
   *
   * @return the deadline
   * @throws IllegalStateException if the thread is not serving a request of this executor
   */
  public static ReadDeadline current() {
    ReadDeadline deadline = CURRENT.get();
    if (deadline == null) {
      throw new IllegalStateException("not a webhook server thread");
    }
    return deadline;
  }

  @Override
  public void execute(Runnable exchange) {
    ReadDeadline deadline = new ReadDeadline(timeout);
    ScheduledFuture<?> alarm =
        watchdog.schedule(deadline::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
    try {
      readers.execute(
          () -> {
            deadline.bind(Thread.currentThread());
            CURRENT.set(deadline);
            try {
              exchange.run();
            } finally {
              CURRENT.remove();
              alarm.cancel(false);
              deadline.finish();
            }
          });
    } catch (RejectedExecutionException e) {
      alarm.cancel(false);
      throw e;
    }
  }
}
