package dev.postoffice.testkit.junit;

import dev.postoffice.core.Route;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Reads the {@link TestRoute} fields and methods of a test's instances (the test class's and, for a
 * {@code @Nested} test, its enclosing classes'), when the pipeline starts.
 */
final class TestRoutes {
  private final ExtensionContext context;

  TestRoutes(ExtensionContext context) {
    this.context = context;
  }

  /** Returns the routes, outermost class first. */
  List<Route> read() {
    List<Route> routes = new ArrayList<>();
    List<Object> instances =
        context.getTestInstances().map(all -> List.copyOf(all.getAllInstances())).orElse(List.of());
    if (instances.isEmpty()) {
      collect(context.getRequiredTestClass(), null, routes);
    }
    for (Object instance : instances) {
      collect(instance.getClass(), instance, routes);
    }
    return routes;
  }

  private static void collect(Class<?> type, Object instance, List<Route> routes) {
    for (Field field : AnnotationSupport.findAnnotatedFields(type, TestRoute.class)) {
      Object value =
          ReflectionSupport.tryToReadFieldValue(
                  field, isStatic(field.getModifiers()) ? null : instance)
              .getOrThrow(e -> new IllegalStateException("cannot read @TestRoute " + field, e));
      routes.add(checked(value, "field " + type.getSimpleName() + "." + field.getName()));
    }
    for (Method method :
        AnnotationSupport.findAnnotatedMethods(
            type, TestRoute.class, HierarchyTraversalMode.TOP_DOWN)) {
      String name = "method " + type.getSimpleName() + "." + method.getName() + "()";
      if (method.getParameterCount() != 0) {
        throw new IllegalStateException("@TestRoute " + name + " must take no parameters");
      }
      Object value =
          ReflectionSupport.invokeMethod(method, isStatic(method.getModifiers()) ? null : instance);
      routes.add(checked(value, name));
    }
  }

  private static boolean isStatic(int modifiers) {
    return Modifier.isStatic(modifiers);
  }

  private static Route checked(Object value, String where) {
    if (value instanceof Route route) {
      return route;
    }
    throw new IllegalStateException(
        "@TestRoute "
            + where
            + " must hold a Route, but "
            + (value == null ? "was null" : "was a " + value.getClass().getName()));
  }
}
