package dev.postoffice.spring.boot;

import dev.postoffice.core.Pipeline;
import dev.postoffice.spi.Transport;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds {@link PostOfficeHealthIndicator} (health contributor {@code postoffice}) when Spring Boot's
 * health support is on the class path and the application has one {@code Pipeline}, the
 * auto-configured one or its own. {@code management.health.postoffice.enabled=false} switches it
 * off.
 */
@AutoConfiguration(after = PostOfficeAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnSingleCandidate(Pipeline.class)
@ConditionalOnEnabledHealthIndicator("postoffice")
// Its own binding: with postoffice.enabled=false and a Pipeline of the host's, the main
// auto-configuration (which binds them too) is off.
@EnableConfigurationProperties(PostOfficeProperties.class)
public class PostOfficeHealthAutoConfiguration {
  /** Creates the auto-configuration; Spring Boot does. */
  public PostOfficeHealthAutoConfiguration() {}

  /**
   * @param pipeline the pipeline
   * @param transport the transport, if there is exactly one
   * @param properties the properties (the acknowledgement queue)
   * @return the health indicator
   */
  @Bean
  @ConditionalOnMissingBean(name = "postofficeHealthIndicator")
  public PostOfficeHealthIndicator postofficeHealthIndicator(
      Pipeline pipeline, ObjectProvider<Transport> transport, PostOfficeProperties properties) {
    return new PostOfficeHealthIndicator(
        pipeline, transport.getIfUnique(), properties.getAckDestination(), Clock.systemUTC());
  }
}
