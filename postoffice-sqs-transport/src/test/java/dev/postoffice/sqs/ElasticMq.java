package dev.postoffice.sqs;

import java.net.URI;
import java.util.UUID;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An embedded ElasticMQ (SQS-compatible) server on a free local port, shared by the tests of one
 * JVM.
 */
final class ElasticMq {
  private static ElasticMq instance;

  private final SQSRestServer server;
  private final URI endpoint;

  private ElasticMq() {
    server = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
    int port = server.waitUntilStarted().localAddress().getPort();
    endpoint = URI.create("http://127.0.0.1:" + port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::stopAndWait, "elasticmq-stop"));
  }

  /** Returns the running server, starting it on first use. */
  static synchronized ElasticMq get() {
    if (instance == null) {
      instance = new ElasticMq();
    }
    return instance;
  }

  URI endpoint() {
    return endpoint;
  }

  /** Settings pointing at this server, with fast polling and closing for tests. */
  SqsTransportSettings.Builder settings() {
    return SqsTransportSettings.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .namePrefix("t" + UUID.randomUUID().toString().substring(0, 8) + "-")
        .waitTime(java.time.Duration.ofSeconds(1))
        .closeTimeout(java.time.Duration.ofSeconds(5));
  }

  /** A plain client on this server, for looking at queues directly. */
  SqsClient client() {
    return SqsClient.builder()
        .httpClient(UrlConnectionHttpClient.create())
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
        .build();
  }
}
