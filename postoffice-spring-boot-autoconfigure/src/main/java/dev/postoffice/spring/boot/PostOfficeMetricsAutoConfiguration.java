package dev.postoffice.spring.boot;

import dev.postoffice.core.Pipeline;
import dev.postoffice.micrometer.PostOfficeMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Meters for the pipeline on the application's {@code MeterRegistry}, when postoffice-micrometer
 * and Spring Boot's Micrometer support are on the class path. The {@link PostOfficeMetrics} bean is
 * both a {@code PipelineListener} (the auto-configured pipeline picks it up with the other listener
 * beans) and a {@code MeterBinder} (Spring Boot binds it to the registry); it is attached to the
 * pipeline once the context's singletons exist, which adds the store gauges. Define a {@code
 * PostOfficeMetrics} bean of your own for other settings (histograms, percentiles, refresh).
 */
@AutoConfiguration(
    before = PostOfficeAutoConfiguration.class,
    afterName = {
      "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
      "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration"
    })
@ConditionalOnClass(
    value = {PostOfficeMetrics.class, MeterRegistry.class},
    name = "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration")
@ConditionalOnBean(MeterRegistry.class)
public class PostOfficeMetricsAutoConfiguration {
  /** Creates the auto-configuration; Spring Boot does. */
  public PostOfficeMetricsAutoConfiguration() {}

  /**
   * @return the binder and listener, with the defaults
   */
  @Bean
  @ConditionalOnMissingBean
  public PostOfficeMetrics postOfficeMetrics() {
    return PostOfficeMetrics.ofDefaults();
  }

  /**
   * Attaches the pipeline to the binder (store gauges) once every singleton exists.
   *
   * @param metrics the binder
   * @param pipeline the pipeline, if there is exactly one
   * @return the callback
   */
  @Bean
  public SmartInitializingSingleton postOfficeMetricsAttachment(
      PostOfficeMetrics metrics, ObjectProvider<Pipeline> pipeline) {
    return () -> pipeline.ifUnique(metrics::attach);
  }
}
