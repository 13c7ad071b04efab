package dev.postoffice.sqs.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Names the transport's threads and makes them daemons, so they never keep a JVM alive. */
public final class Threads {
  private Threads() {}

  /**
   * Returns a factory of daemon threads named {@code prefix-N}.
   *
   * @param prefix the name prefix
   * @return the factory
   */
  public static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
