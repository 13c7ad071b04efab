package dev.postoffice.benchmarks;

import dev.postoffice.spi.Transport;
import dev.postoffice.sqs.SqsTransport;
import dev.postoffice.sqs.SqsTransportSettings;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The {@code sqs} scenario's broker: an ElasticMQ (SQS-compatible) server started in this JVM on a
 * free loopback port, one {@link SqsTransport} per node and one for the Core App, every queue under
 * a name prefix of the run's own, deleted when the run closes. Being in-process, ElasticMQ's CPU
 * counts in the figures of both the pipeline and the baseline.
 */
final class SqsScenario implements AutoCloseable {
  /** SQS queue names take letters, digits, hyphens and underscores: no dots. */
  static final String QUEUE = "core-bench";

  private final SQSRestServer server;
  private final URI endpoint;

  SqsScenario() {
    server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    endpoint = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
  }

  /** A plain SDK client on the embedded server, for the baseline and the clean-up. */
  SqsClient client() {
    return SqsClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .build();
  }

  /**
   * Opens one run's transports.
   *
   * @param nodes how many nodes publish
   * @return the broker; closing it closes the transports and deletes the run's queues
   */
  RunBroker broker(int nodes) {
    String prefix = "bench" + UUID.randomUUID().toString().substring(0, 8) + "-";
    List<SqsTransport> transports = new ArrayList<>();
    try {
      for (int n = 0; n <= nodes; n++) {
        transports.add(
            SqsTransport.create(
                SqsTransportSettings.builder()
                    .endpointOverride(endpoint)
                    .region(Region.US_EAST_1)
                    .credentialsProvider(
                        StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                    .namePrefix(prefix)
                    // Short long-polls so that closing the run does not wait 20 s for the receivers
                    // to return.
                    .waitTime(Duration.ofSeconds(1))
                    .closeTimeout(Duration.ofSeconds(5))
                    .build()));
      }
    } catch (RuntimeException e) {
      transports.forEach(SqsTransport::close);
      throw e;
    }
    return new RunBroker() {
      @Override
      public Transport node(int node) {
        return transports.get(node);
      }

      @Override
      public Transport core() {
        return transports.get(nodes);
      }

      @Override
      public String queue() {
        return QUEUE;
      }

      @Override
      public void close() {
        transports.forEach(SqsTransport::close);
        deleteQueues(prefix);
      }
    };
  }

  /**
   * Deletes every queue whose name starts with the prefix (the destinations and their dead-letter
   * queues).
   */
  void deleteQueues(String prefix) {
    try (SqsClient client = client()) {
      for (String url : client.listQueues(r -> r.queueNamePrefix(prefix)).queueUrls()) {
        client.deleteQueue(r -> r.queueUrl(url));
      }
    }
  }

  @Override
  public void close() {
    server.stopAndWait();
  }
}
