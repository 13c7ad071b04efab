package dev.postoffice.spring.boot;

import dev.postoffice.spring.boot.internal.PipelineConfiguration;
import dev.postoffice.spring.boot.internal.StoreConfigurations;
import dev.postoffice.spring.boot.internal.TransportConfigurations;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Import;

/**
 * Builds a PostOffice pipeline from the application's beans and {@code postoffice.*} properties,
 * and ties it to the context's lifecycle.
 *
 * <ul>
 *   <li><b>Routes</b>: every {@code Route} bean, in {@code @Order}.
 *   <li><b>Store</b>: {@code JdbcStatusStore} on the application's {@code DataSource} (tables
 *       migrated on start unless {@code postoffice.store.migrate=false}), else in memory.
 *   <li><b>Transport</b>: {@code RabbitTransport} through the application's RabbitMQ connection
 *       factory, else {@code SqsTransport} on its {@code SqsClient}, else in memory.
 *   <li><b>Also</b>: {@link RouteIngestor}, {@code PipelineListener}, {@code Codec} and {@link
 *       PipelineBuilderCustomizer} beans.
 *   <li><b>Lifecycle</b>: {@link PostOfficeLifecycle} starts the pipeline with the context and
 *       stops it gracefully.
 * </ul>
 *
 * <p>Each part backs off when the application defines its own: a {@code StatusStore}, a {@code
 * Transport}, or a whole {@code Pipeline} (then the application starts and stops it). {@code
 * postoffice.enabled=false} switches it all off.
 */
@AutoConfiguration(
    afterName = {
      "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
      "org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration"
    })
@ConditionalOnProperty(
    prefix = "postoffice",
    name = "enabled",
    havingValue = "true",
    matchIfMissing = true)
@EnableConfigurationProperties(PostOfficeProperties.class)
@Import({
  StoreConfigurations.Jdbc.class,
  StoreConfigurations.Memory.class,
  TransportConfigurations.Rabbit.class,
  TransportConfigurations.Sqs.class,
  TransportConfigurations.Memory.class,
  PipelineConfiguration.class
})
public class PostOfficeAutoConfiguration {
  /** Creates the auto-configuration; Spring Boot does. */
  public PostOfficeAutoConfiguration() {}
}
