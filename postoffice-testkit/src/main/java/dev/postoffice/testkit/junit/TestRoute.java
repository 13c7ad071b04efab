package dev.postoffice.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of type {@link dev.postoffice.core.Route}, or a method without parameters that
 * returns one, as a route of the pipeline {@link PostOfficeExtension} builds for each test. Static
 * and instance members both work, in the test class and in the classes enclosing a {@code @Nested}
 * one. The route is read when the pipeline starts, so an instance field may use other fields.
 *
 * <pre>{@code
 * @TestRoute Route orders = AcmeRoutes.orders(codec, RouteSettings.ofDefaults());
 *
 * @TestRoute
 * static Route shipments() {
 *   return AcmeRoutes.shipments(codec, dispatcher, RouteSettings.ofDefaults());
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.METHOD})
public @interface TestRoute {}
