package dev.postoffice.testkit.junit;

import dev.postoffice.core.Pipeline;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.testkit.MutableClock;
import dev.postoffice.testkit.PipelineDriver;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 extension behind {@link PostOfficeTest}: gives each test its own {@link
 * TestPostOffice} and closes it after the test (Core App receivers registered with {@link
 * TestPostOffice#closeAfterTest}, then the pipeline, then the transport).
 *
 * <p>Test methods, {@code @BeforeEach} and {@code @AfterEach} methods may declare parameters of
 * these types, all of the same test's pipeline: {@link TestPostOffice}, {@link MutableClock},
 * {@link InMemoryStatusStore}, {@link InMemoryTransport}, {@link PipelineDriver}, and {@link
 * Pipeline} (which starts the pipeline with the {@link TestRoute} routes).
 *
 * <p>Use it through {@link PostOfficeTest}, or with {@code @ExtendWith(PostOfficeExtension.class)}
 * (the clock then starts at {@value PostOfficeTest#DEFAULT_CLOCK_START}).
 */
public final class PostOfficeExtension implements ParameterResolver, AfterEachCallback {
  private static final Namespace NAMESPACE = Namespace.create(PostOfficeExtension.class);
  private static final Set<Class<?>> RESOLVED =
      Set.of(
          TestPostOffice.class,
          MutableClock.class,
          InMemoryStatusStore.class,
          InMemoryTransport.class,
          PipelineDriver.class,
          Pipeline.class);

  /** Creates the extension; JUnit does, through {@link PostOfficeTest}. */
  public PostOfficeExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return RESOLVED.contains(parameter.getParameter().getType())
        && context.getTestMethod().isPresent();
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    TestPostOffice po = postOffice(context);
    Class<?> type = parameter.getParameter().getType();
    if (type == TestPostOffice.class) {
      return po;
    } else if (type == MutableClock.class) {
      return po.clock();
    } else if (type == InMemoryStatusStore.class) {
      return po.store();
    } else if (type == InMemoryTransport.class) {
      return po.transport();
    } else if (type == PipelineDriver.class) {
      return po.driver();
    } else if (type == Pipeline.class) {
      return po.pipeline();
    }
    throw new ParameterResolutionException("cannot resolve a parameter of type " + type);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    TestPostOffice po =
        context.getStore(NAMESPACE).remove(TestPostOffice.class, TestPostOffice.class);
    if (po != null) {
      po.close();
    }
  }

  /** The annotation on the test class or, for a {@code @Nested} class, on a class enclosing it. */
  private static Optional<PostOfficeTest> annotation(ExtensionContext context) {
    Optional<PostOfficeTest> own =
        AnnotationSupport.findAnnotation(context.getRequiredTestClass(), PostOfficeTest.class);
    if (own.isPresent()) {
      return own;
    }
    List<Object> enclosing =
        context.getTestInstances().map(all -> all.getEnclosingInstances()).orElse(List.of());
    for (int i = enclosing.size() - 1; i >= 0; i--) { // outermost first: start at the nearest
      Optional<PostOfficeTest> found =
          AnnotationSupport.findAnnotation(enclosing.get(i).getClass(), PostOfficeTest.class);
      if (found.isPresent()) {
        return found;
      }
    }
    return Optional.empty();
  }

  /** The test's post office, made on first use. */
  private static TestPostOffice postOffice(ExtensionContext context) {
    return context
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(
            TestPostOffice.class,
            key ->
                new TestPostOffice(MutableClock.at(clockStart(context)), new TestRoutes(context)),
            TestPostOffice.class);
  }

  private static Instant clockStart(ExtensionContext context) {
    String start =
        annotation(context)
            .map(PostOfficeTest::clockStart)
            .orElse(PostOfficeTest.DEFAULT_CLOCK_START);
    try {
      return Instant.parse(start);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "@PostOfficeTest(clockStart) must be an ISO-8601 instant such as "
              + PostOfficeTest.DEFAULT_CLOCK_START
              + ", but was '"
              + start
              + "'",
          e);
    }
  }
}
