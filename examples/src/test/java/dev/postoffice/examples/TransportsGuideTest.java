package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.Transport;
import dev.postoffice.sqs.SqsTransport;
import dev.postoffice.sqs.SqsTransportSettings;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * The SQS code docs/transports.md quotes. Creating the transport makes no call to SQS (queues are
 * created by the pipeline's start); the transport itself is tested against ElasticMQ in its module.
 */
@DisplayName("The transports guide's SQS code")
class TransportsGuideTest {
  @Test
  @DisplayName("creates an SqsTransport with its own client from the settings")
  void sqs() {
    // tag::sqs[]
    SqsTransport transport =
        SqsTransport.create( // with its own SQS client, closed with the transport
            SqsTransportSettings.builder()
                .region(Region.EU_WEST_1) // default: the SDK's region chain
                .credentialsProvider( // default: the SDK's credentials chain
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
                .endpointOverride(URI.create("http://localhost:9324")) // LocalStack, ElasticMQ
                .namePrefix("prod-")
                .fifo(false)
                .maxDeliveries(5)
                .build());
    // end::sqs[]
    try (transport) {
      Transport asTransport = transport;
      assertThat(asTransport.deadLetterDestination("core-orders")).isEqualTo("core-orders-dlq");
      assertThat(transport.settings().namePrefix()).isEqualTo("prod-");
    }
  }
}
