package dev.postoffice.core.support;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * A store, a transport or any other interface around a real one, with some calls changed: the way
 * the engine's tests make a database refuse a commit, hang, or a broker fail a publish, on the
 * in-memory implementations.
 */
public final class Intercepted {
  private Intercepted() {}

  /** Decides what one call does. */
  @FunctionalInterface
  public interface Interceptor {
    /**
     * @param method the method called
     * @param args its arguments (null for none)
     * @param real runs the call on the real implementation
     * @return the call's result
     */
    Object invoke(Method method, Object[] args, Real real) throws Throwable;
  }

  /** The call as the real implementation makes it. */
  @FunctionalInterface
  public interface Real {
    /**
     * @return the real implementation's result; its exception is rethrown as it is
     */
    Object call() throws Throwable;
  }

  /**
   * @return {@code target} seen through {@code interceptor}
   */
  public static <T> T around(Class<T> type, T target, Interceptor interceptor) {
    return type.cast(
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) ->
                interceptor.invoke(
                    method,
                    args,
                    () -> {
                      try {
                        return method.invoke(target, args);
                      } catch (InvocationTargetException e) {
                        throw e.getCause();
                      }
                    })));
  }
}
