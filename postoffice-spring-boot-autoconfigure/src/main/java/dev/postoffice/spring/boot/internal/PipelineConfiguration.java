package dev.postoffice.spring.boot.internal;

import dev.postoffice.ConfigurationException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PipelineBuilder;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.spi.Codec;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.spi.Transport;
import dev.postoffice.spring.boot.PipelineBuilderCustomizer;
import dev.postoffice.spring.boot.PostOfficeLifecycle;
import dev.postoffice.spring.boot.PostOfficeProperties;
import dev.postoffice.spring.boot.RouteIngestor;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The pipeline, from the properties and the application's beans, and the lifecycle that starts and
 * stops it. Backs off entirely when the application defines its own {@link Pipeline}: that one is
 * the application's to start and stop.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(Pipeline.class)
public class PipelineConfiguration {
  /**
   * Builds the pipeline (not started: {@link PostOfficeLifecycle} starts it).
   *
   * @param properties the properties
   * @param store the store
   * @param transport the transport
   * @param routes the application's routes, in {@code @Order}
   * @param ingestors the application's ingestors
   * @param listeners the application's listeners, in {@code @Order}
   * @param codec the application's codec, if it has one
   * @param customizers the application's customizers, in {@code @Order}
   * @return the pipeline
   * @throws ConfigurationException listing every problem found
   */
  @Bean(destroyMethod = "") // PostOfficeLifecycle stops it; closing it again would wait twice
  public Pipeline postOfficePipeline(
      PostOfficeProperties properties,
      ObjectProvider<StatusStore> store,
      ObjectProvider<Transport> transport,
      ObjectProvider<Route> routes,
      ObjectProvider<RouteIngestor> ingestors,
      ObjectProvider<PipelineListener> listeners,
      ObjectProvider<Codec> codec,
      ObjectProvider<PipelineBuilderCustomizer> customizers) {
    List<String> errors = new ArrayList<>();
    StatusStore s = store.getIfUnique();
    if (s == null) {
      errors.add(
          "postoffice.store: no StatusStore"
              + (properties.getStore().getType() == PostOfficeProperties.StoreType.JDBC
                  ? " although postoffice.store.type is jdbc"
                  : "")
              + " [Hint: for jdbc, add postoffice-jdbc-store and a single DataSource"
              + " (spring-boot-starter-jdbc and spring.datasource.url); or set"
              + " postoffice.store.type=memory; or define one StatusStore bean]");
    }
    List<Route> routeList = routes.orderedStream().toList();
    Transport t = transport.getIfUnique();
    if (t == null && !routeList.isEmpty()) {
      errors.add(
          "postoffice.transport: no Transport"
              + (properties.getTransport().getType() != null
                  ? " although postoffice.transport.type is "
                      + properties
                          .getTransport()
                          .getType()
                          .name()
                          .toLowerCase(java.util.Locale.ROOT)
                  : "")
              + " [Hint: for RabbitMQ, add postoffice-rabbit-transport and spring-boot-starter-amqp;"
              + " for SQS, postoffice-sqs-transport and an SqsClient bean; or set"
              + " postoffice.transport.type=memory; or define one Transport bean]");
    }
    if (!errors.isEmpty()) {
      throw new ConfigurationException(errors);
    }
    PipelineBuilder builder =
        PostOffice.builder()
            .store(s)
            .transport(t)
            .ackDestination(properties.getAckDestination())
            .shutdownTimeout(properties.getShutdownTimeout())
            .listener(CompositeListener.of(listeners.orderedStream().toList()));
    if (properties.getNodeId() != null) {
      builder.nodeId(properties.getNodeId());
    }
    codec.ifUnique(builder::codec);
    routeList.forEach(builder::route);
    ingestors.orderedStream().forEach(i -> builder.ingestor(i.route(), i.ingestor()));
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /**
   * Ties the pipeline to the context: started on refresh (unless {@code
   * postoffice.auto-startup=false}), stopped gracefully on close within {@code
   * postoffice.shutdown-timeout}.
   *
   * @param pipeline the pipeline
   * @param properties the properties
   * @return the lifecycle
   */
  @Bean
  public PostOfficeLifecycle postOfficeLifecycle(
      Pipeline pipeline, PostOfficeProperties properties) {
    return new PostOfficeLifecycle(
        pipeline, properties.getShutdownTimeout(), properties.isAutoStartup());
  }
}
