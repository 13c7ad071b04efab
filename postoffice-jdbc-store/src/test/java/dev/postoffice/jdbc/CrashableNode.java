package dev.postoffice.jdbc;

import dev.postoffice.spi.MessageHandler;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import dev.postoffice.testkit.ForwardingTransport;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * What a node sees of the outside world, with a switch that simulates the node's process dying:
 * from {@link #crash()} on, its broker subscriptions are gone (as a broker drops a dead client's
 * consumers and redelivers what it held) and every database call fails, so nothing it still holds
 * is ever committed. Its threads run on, harmlessly, like a frozen process; nobody calls its {@code
 * stop()}.
 */
final class CrashableNode {
  private final Queue<Subscription> subscriptions = new ConcurrentLinkedQueue<>();
  private volatile boolean crashed;
  private volatile Predicate<String> crashBefore;

  /** Kills the node. */
  void crash() {
    crashed = true;
    subscriptions.forEach(Subscription::close);
  }

  /**
   * Kills the node the next time it prepares a statement whose SQL matches: a death at a known
   * point (before a commit, the leases it claimed still held), where {@link #crash()} from another
   * thread may land just after the node's last commit.
   *
   * @param sql which statement the node dies before
   */
  void crashBefore(Predicate<String> sql) {
    crashBefore = sql;
  }

  /**
   * @return whether the node has died
   */
  boolean crashed() {
    return crashed;
  }

  private SQLException dead() {
    return new SQLNonTransientConnectionException("the node crashed (simulated)", "08006");
  }

  /**
   * Wraps the node's connection pool: every call on it, or on a connection it handed out, fails
   * after a crash.
   */
  DataSource dataSource(DataSource pool) {
    return (DataSource)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) -> {
              if (crashed) {
                throw dead();
              }
              Object result = invoke(pool, method, args);
              if (result instanceof Connection real) {
                return Proxy.newProxyInstance(
                    getClass().getClassLoader(),
                    new Class<?>[] {Connection.class},
                    (p, m, a) -> {
                      Predicate<String> trigger = crashBefore;
                      if (trigger != null
                          && !crashed
                          && m.getName().equals("prepareStatement")
                          && trigger.test((String) a[0])) {
                        crash();
                      }
                      if (crashed && !m.getName().equals("close")) {
                        throw dead();
                      }
                      return invoke(real, m, a);
                    });
              }
              return result;
            });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args)
      throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  /**
   * Wraps the shared transport: after a crash the node's subscriptions are closed and it publishes
   * nothing.
   */
  Transport transport(Transport shared) {
    return new ForwardingTransport(shared) {
      @Override
      public CompletableFuture<Void> publish(String destination, OutboundMessage message) {
        return crashed
            ? CompletableFuture.failedFuture(dead())
            : super.publish(destination, message);
      }

      @Override
      public List<CompletableFuture<Void>> publishAll(
          String destination, List<OutboundMessage> messages) {
        return crashed
            ? messages.stream().map(m -> CompletableFuture.<Void>failedFuture(dead())).toList()
            : super.publishAll(destination, messages);
      }

      @Override
      public Subscription subscribe(String destination, MessageHandler handler) {
        Subscription s = super.subscribe(destination, handler);
        subscriptions.add(s);
        return s;
      }

      @Override
      public void close() {
        // the shared transport is closed by the test
      }
    };
  }
}
