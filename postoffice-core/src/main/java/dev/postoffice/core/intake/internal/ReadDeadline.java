package dev.postoffice.core.intake.internal;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deadline for reading one request, from the moment its connection has bytes to read to the end
 * of its body. The JDK HTTP server reads with blocking calls and has no per-server read timeout
 * (its {@code sun.net.httpserver.*} properties are JVM-wide, not a library's to set), so the one
 * way to stop a read in progress is to interrupt the thread blocked in it: its socket channel is
 * interruptible, so the interrupt closes the connection and the read fails at once.
 *
 * <p>The interrupt is sent only while the thread reads, from {@link #bind(Thread)} to {@link
 * #leave()}, never while it stores a message: an interrupt there could abort a store call half
 * done. A deadline that passes after {@link #leave()} changes nothing.
 *
 * <p>Thread-safe: the reading thread and the watchdog meet on this object's lock.
 */
public final class ReadDeadline {
  private static final Logger log =
      LoggerFactory.getLogger("dev.postoffice.core.intake.WebhookServer");

  private final Duration timeout;
  private Thread reader;
  private boolean reading;
  private boolean expired;
  private boolean interrupted;
  private boolean finished;
  private String request = "a request whose headers had not all arrived";

  /**
   * Creates the deadline of a request that has just shown its first bytes.
   *
   * @param timeout the time it has to be read, for messages
   */
  public ReadDeadline(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Binds the deadline to the thread that reads the request, which starts reading (the request line
   * and headers, which the JDK server reads before it calls the handler).
   *
   * @param thread the current thread
   */
  public synchronized void bind(Thread thread) {
    reader = thread;
    reading = true;
    if (expired) {
      interrupt();
    }
  }

  /**
   * Names the request in the message logged if it is cut off.
   *
   * @param description method, path and client address; never headers or body
   */
  public synchronized void describe(String description) {
    request = description;
  }

  /**
   * Ends the reading; no interrupt comes after it.
   *
   * @return false if the deadline passed while reading (the connection is closed or about to be)
   */
  public synchronized boolean leave() {
    reading = false;
    clearInterrupt();
    return !expired;
  }

  /** Called by the watchdog when the time is up: interrupts the reader if it is still reading. */
  public void expire() {
    boolean cut;
    String what;
    synchronized (this) {
      if (finished || expired) {
        return;
      }
      expired = true;
      // Not bound yet: the request waited for a free thread past its deadline, and bind() will cut
      // it off.
      cut = reading || reader == null;
      if (reading && reader != null) {
        interrupt();
      }
      what = request;
    }
    if (cut) {
      log.warn(
          "webhook server cut off {}: not read within the read timeout {}; connection closed",
          what,
          timeout);
    }
  }

  /**
   * Ends the request's time on its thread; clears an interrupt this deadline sent so the thread is
   * reused clean.
   */
  public synchronized void finish() {
    finished = true;
    reading = false;
    clearInterrupt();
  }

  private void interrupt() {
    interrupted = true;
    reader.interrupt();
  }

  private void clearInterrupt() {
    if (interrupted && reader == Thread.currentThread()) {
      Thread.interrupted();
    }
  }
}
