package dev.postoffice.spring.boot;

import dev.postoffice.core.PipelineBuilder;

/**
 * A bean that changes the auto-configured pipeline's builder before it is built: a clock, a codec
 * of its own, routes built from other beans. Customizers run in {@code @Order}, after the
 * properties, routes, ingestors and listeners have been applied, so what they set wins.
 *
 * <pre>{@code
 * @Bean
 * PipelineBuilderCustomizer utcClock() {
 *   return builder -> builder.clock(Clock.systemUTC());
 * }
 * }</pre>
 */
@FunctionalInterface
public interface PipelineBuilderCustomizer {
  /**
   * Changes the builder.
   *
   * @param builder the builder of the pipeline about to be built
   */
  void customize(PipelineBuilder builder);
}
