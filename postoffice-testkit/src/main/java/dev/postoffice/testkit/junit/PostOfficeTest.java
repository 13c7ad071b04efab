package dev.postoffice.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of a class with a fresh {@link TestPostOffice}: a pipeline on the in-memory store
 * and transport, with a {@link dev.postoffice.testkit.MutableClock} and manual scheduling, which
 * the test drives until idle and checks with {@link PostOfficeAssertions}. The routes are the
 * class's {@link TestRoute} fields and methods, or those the test passes to {@link
 * TestPostOffice#start}.
 *
 * <pre>{@code
 * @PostOfficeTest
 * class AcmeOrdersRouteTest {
 *   @TestRoute Route orders = AcmeRoutes.orders(JacksonCodec.create(), RouteSettings.ofDefaults());
 *
 *   @Test
 *   void processed(TestPostOffice po) {
 *     po.submit("acme-orders", json, "delivery-1");
 *     po.drain();
 *     assertThat(po).route("acme-orders").layer(Layer.L1).hasStatus(Status.PROCESSED);
 *   }
 * }
 * }</pre>
 *
 * @see PostOfficeExtension
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(PostOfficeExtension.class)
public @interface PostOfficeTest {
  /** The instant the clock starts at, unless set. */
  String DEFAULT_CLOCK_START = "2030-01-01T00:00:00Z";

  /**
   * Returns where each test's clock starts.
   *
   * @return an ISO-8601 instant; default {@value #DEFAULT_CLOCK_START}
   */
  String clockStart() default DEFAULT_CLOCK_START;
}
