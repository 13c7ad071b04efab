package dev.postoffice.spring.boot.internal;

import dev.postoffice.ConfigurationException;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.rabbit.RabbitTransport;
import dev.postoffice.rabbit.RabbitTransportSettings;
import dev.postoffice.spi.Transport;
import dev.postoffice.spring.boot.PostOfficeProperties;
import dev.postoffice.sqs.SqsTransport;
import dev.postoffice.sqs.SqsTransportSettings;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.AbstractConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The transport: RabbitMQ through the application's Spring AMQP connection factory, else SQS on its
 * {@code SqsClient}, else in memory; {@code postoffice.transport.type} picks one. Imported in this
 * order, so the first that applies wins; an application's own {@link Transport} or {@link Pipeline}
 * bean wins over all three.
 */
public final class TransportConfigurations {
  private static final Logger LOG = LoggerFactory.getLogger(TransportConfigurations.class);

  private TransportConfigurations() {}

  /** {@code RabbitTransport} on the client factory inside Spring AMQP's connection factory. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({RabbitTransport.class, ConnectionFactory.class})
  @ConditionalOnSingleCandidate(ConnectionFactory.class)
  @ConditionalOnMissingBean({Transport.class, Pipeline.class})
  @ConditionalOnProperty(
      prefix = "postoffice.transport",
      name = "type",
      havingValue = "rabbit",
      matchIfMissing = true)
  public static class Rabbit {
    /**
     * Connects the transport with the broker address and credentials Spring Boot configured ({@code
     * spring.rabbitmq.*}), on connections of its own.
     *
     * @param connectionFactory the application's Spring AMQP connection factory
     * @param properties the properties
     * @return the transport; Spring closes it when the context closes
     */
    @Bean
    public RabbitTransport postOfficeTransport(
        ConnectionFactory connectionFactory, PostOfficeProperties properties) {
      if (!(connectionFactory instanceof AbstractConnectionFactory spring)) {
        throw new ConfigurationException(
            List.of(
                "postoffice.transport.rabbit: the RabbitMQ ConnectionFactory bean is a "
                    + connectionFactory.getClass().getName()
                    + ", which does not expose the client factory it wraps [Hint: define a"
                    + " RabbitTransport bean of your own with RabbitTransport.create(clientFactory,"
                    + " settings)]"));
      }
      PostOfficeProperties.Rabbit p = properties.getTransport().getRabbit();
      RabbitTransportSettings settings =
          RabbitTransportSettings.builder()
              .namePrefix(p.getNamePrefix())
              .createTopology(p.isCreateTopology())
              .quorumQueues(p.isQuorumQueues())
              .maxDeliveries(p.getMaxDeliveries())
              .prefetch(p.getPrefetch())
              .confirmTimeout(p.getConfirmTimeout())
              .connectionName(p.getConnectionName())
              .build();
      return RabbitTransport.create(spring.getRabbitConnectionFactory(), settings);
    }
  }

  /** {@code SqsTransport} on the application's {@code SqsClient}, which it leaves open. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({SqsTransport.class, SqsClient.class})
  @ConditionalOnSingleCandidate(SqsClient.class)
  @ConditionalOnMissingBean({Transport.class, Pipeline.class})
  @ConditionalOnProperty(
      prefix = "postoffice.transport",
      name = "type",
      havingValue = "sqs",
      matchIfMissing = true)
  public static class Sqs {
    /**
     * @param client the application's SQS client
     * @param properties the properties
     * @return the transport
     */
    @Bean
    public SqsTransport postOfficeTransport(SqsClient client, PostOfficeProperties properties) {
      PostOfficeProperties.Sqs p = properties.getTransport().getSqs();
      return SqsTransport.create(
          client,
          SqsTransportSettings.builder()
              .namePrefix(p.getNamePrefix())
              .fifo(p.isFifo())
              .createTopology(p.isCreateTopology())
              .maxDeliveries(p.getMaxDeliveries())
              .build());
    }
  }

  /** {@code InMemoryTransport}, when nothing else applies and no other type is set. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean({Transport.class, Pipeline.class})
  @ConditionalOnProperty(
      prefix = "postoffice.transport",
      name = "type",
      havingValue = "memory",
      matchIfMissing = true)
  public static class Memory {
    /**
     * @return an in-memory transport
     */
    @Bean
    public InMemoryTransport postOfficeTransport(Environment environment) {
      if (!environment.containsProperty("postoffice.transport.type")) {
        LOG.warn(
            "PostOffice reaches the Core App through an in-memory transport: messages in it"
                + " are lost when the application stops. No RabbitMQ ConnectionFactory (with"
                + " postoffice-rabbit-transport) or SqsClient (with postoffice-sqs-transport)"
                + " was found. Provide one, or set postoffice.transport.type=memory to say this"
                + " is meant.");
      }
      return InMemoryTransport.create();
    }
  }
}
