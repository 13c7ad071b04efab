package dev.postoffice.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Subscription;
import dev.postoffice.spi.Transport;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The forwarding decorators override every method of their interface, the default ones too, and
 * pass each call on unchanged: a method added to the SPI fails here until its forwarder is written.
 */
class ForwardingDecoratorsTest {

  static Stream<Arguments> decorators() {
    return Stream.of(
        decorator(
            StatusStore.class, ForwardingStatusStore.class, d -> new ForwardingStatusStore(d) {}),
        decorator(Transport.class, ForwardingTransport.class, d -> new ForwardingTransport(d) {}),
        decorator(
            Subscription.class,
            ForwardingSubscription.class,
            d -> new ForwardingSubscription(d) {}));
  }

  private static <T> Arguments decorator(
      Class<T> type, Class<? extends T> forwarding, Function<T, T> wrap) {
    return Arguments.of(type.getSimpleName(), type, forwarding, wrap);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decorators")
  @DisplayName("every instance method of the interface is overridden")
  void overridesEveryMethod(
      String name, Class<?> type, Class<?> forwarding, Function<Object, Object> wrap) {
    List<String> missing = new ArrayList<>();
    for (Method m : instanceMethods(type)) {
      try {
        Method declared = forwarding.getDeclaredMethod(m.getName(), m.getParameterTypes());
        if (Modifier.isAbstract(declared.getModifiers())) {
          missing.add(m.toGenericString());
        }
      } catch (NoSuchMethodException e) {
        missing.add(m.toGenericString());
      }
    }
    assertThat(missing)
        .as("methods of %s that %s does not forward", name, forwarding.getSimpleName())
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decorators")
  @DisplayName("every call reaches the delegate with the same arguments")
  void forwardsEveryCall(
      String name, Class<?> type, Class<?> forwarding, Function<Object, Object> wrap)
      throws Exception {
    List<String> calls = new ArrayList<>();
    Object delegate =
        Proxy.newProxyInstance(
            type.getClassLoader(),
            new Class<?>[] {type},
            (proxy, method, args) -> {
              calls.add(method.getName() + Arrays.toString(args));
              return zero(method.getReturnType());
            });
    Object decorated = wrap.apply(delegate);
    for (Method m : instanceMethods(type)) {
      Object[] args = new Object[m.getParameterCount()];
      for (int i = 0; i < args.length; i++) {
        args[i] = zero(m.getParameterTypes()[i]);
      }
      calls.clear();
      m.invoke(decorated, args);
      assertThat(calls)
          .as("calls on the delegate for %s", m.toGenericString())
          .containsExactly(m.getName() + Arrays.toString(args.length == 0 ? null : args));
    }
  }

  private static List<Method> instanceMethods(Class<?> type) {
    List<Method> methods = new ArrayList<>();
    for (Method m : type.getMethods()) {
      if (!Modifier.isStatic(m.getModifiers())) {
        methods.add(m);
      }
    }
    return methods;
  }

  private static Object zero(Class<?> type) {
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type == double.class) {
      return 0.0;
    }
    return null;
  }
}
