package dev.postoffice.sqs.endtoend;

import dev.postoffice.sqs.SqsTransportSettings;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;

/**
 * An embedded ElasticMQ (SQS-compatible) server on a free local port, one per JVM, for the
 * end-to-end tests.
 */
final class ElasticMqServer {
  private static ElasticMqServer instance;

  private final SQSRestServer server;
  private final URI endpoint;

  private ElasticMqServer() {
    server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    endpoint = URI.create("http://127.0.0.1:" + server.waitUntilStarted().localAddress().getPort());
    Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait, "e2e-elasticmq-stop"));
  }

  /**
   * @return the running server, started on first use
   */
  static synchronized ElasticMqServer get() {
    if (instance == null) {
      instance = new ElasticMqServer();
    }
    return instance;
  }

  /**
   * @return a queue name prefix no other test uses
   */
  static String uniquePrefix() {
    return "e2e" + UUID.randomUUID().toString().substring(0, 8) + "-";
  }

  /** Settings on this server under the prefix, with short long-polls so closing is quick. */
  SqsTransportSettings.Builder settings(String prefix) {
    return SqsTransportSettings.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .namePrefix(prefix)
        .waitTime(Duration.ofSeconds(1))
        .batchLinger(Duration.ofMillis(5))
        .closeTimeout(Duration.ofSeconds(5));
  }
}
