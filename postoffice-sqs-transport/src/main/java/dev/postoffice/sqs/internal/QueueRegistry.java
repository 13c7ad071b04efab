package dev.postoffice.sqs.internal;

import dev.postoffice.sqs.SqsTransportSettings;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.QueueNameExistsException;

/**
 * Maps destinations to SQS queue names and URLs, and creates queues with their dead-letter queues.
 * Each URL is resolved once (by {@code CreateQueue} or {@code GetQueueUrl}) and cached for the
 * transport's life.
 */
public final class QueueRegistry {
  /** The longest SQS queue name, {@code .fifo} included. */
  static final int MAX_QUEUE_NAME = 80;

  private static final String FIFO_SUFFIX = ".fifo";
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

  /** Dead letters are kept 14 days, the SQS maximum, so an operator has time to look. */
  private static final String DLQ_RETENTION_SECONDS = "1209600";

  private final SqsClient client;
  private final SqsTransportSettings settings;
  private final Map<String, String> urls = new ConcurrentHashMap<>();
  private final Set<String> declared = ConcurrentHashMap.newKeySet();

  /**
   * Creates the registry.
   *
   * @param client the client
   * @param settings the settings
   */
  public QueueRegistry(SqsClient client, SqsTransportSettings settings) {
    this.client = client;
    this.settings = settings;
  }

  /**
   * Returns the SQS queue name of a destination: prefix, destination, and {@code .fifo} on FIFO
   * transports.
   *
   * @param destination the destination (on FIFO transports it may already end in {@code .fifo})
   * @return the queue name
   * @throws IllegalArgumentException if the name would not be a valid SQS queue name
   */
  public String queueName(String destination) {
    String base = base(destination);
    String name = settings.namePrefix() + base + (settings.fifo() ? FIFO_SUFFIX : "");
    if (name.length() > MAX_QUEUE_NAME) {
      throw new IllegalArgumentException(
          "queue name '"
              + name
              + "' of destination '"
              + destination
              + "' must be at most "
              + MAX_QUEUE_NAME
              + " characters (SQS limit, prefix and .fifo included), but was "
              + name.length());
    }
    return name;
  }

  /**
   * Returns the dead-letter destination of a destination.
   *
   * @param destination the destination
   * @return the destination followed by the dead-letter suffix (before {@code .fifo})
   */
  public String deadLetterDestination(String destination) {
    String dlq = base(destination) + settings.deadLetterSuffix();
    return destination.endsWith(FIFO_SUFFIX) ? dlq + FIFO_SUFFIX : dlq;
  }

  private String base(String destination) {
    Require.nonNull(destination, "destination");
    String base =
        settings.fifo() && destination.endsWith(FIFO_SUFFIX)
            ? destination.substring(0, destination.length() - FIFO_SUFFIX.length())
            : destination;
    if (!NAME.matcher(base).matches()) {
      throw new IllegalArgumentException(
          "destination must be 1 or more of A-Z, a-z, 0-9, '-' and '_' "
              + "(it becomes an SQS queue name; '.fifo' is added on FIFO transports), but was '"
              + destination
              + "'");
    }
    return base;
  }

  /**
   * Creates the destination's queue and dead-letter queue, with a redrive policy whose {@code
   * maxReceiveCount} is the maximum deliveries; or, when queues are not created, checks they exist.
   * Idempotent; each destination is declared once per transport.
   *
   * @param destination the destination
   */
  public void declare(String destination) {
    if (declared.contains(destination)) {
      return;
    }
    synchronized (this) {
      if (declared.contains(destination)) {
        return;
      }
      String dlqName = queueName(deadLetterDestination(destination));
      String name = queueName(destination);
      if (settings.createTopology()) {
        String dlqUrl = create(dlqName);
        client.setQueueAttributes(
            r ->
                r.queueUrl(dlqUrl)
                    .attributes(
                        Map.of(
                            QueueAttributeName.MESSAGE_RETENTION_PERIOD, DLQ_RETENTION_SECONDS)));
        String dlqArn =
            client
                .getQueueAttributes(
                    r -> r.queueUrl(dlqUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes()
                .get(QueueAttributeName.QUEUE_ARN);
        String url = create(name);
        String redrive =
            "{\"deadLetterTargetArn\":\""
                + dlqArn
                + "\",\"maxReceiveCount\":\""
                + settings.maxDeliveries()
                + "\"}";
        client.setQueueAttributes(
            r -> r.queueUrl(url).attributes(Map.of(QueueAttributeName.REDRIVE_POLICY, redrive)));
      } else {
        urlOfName(dlqName);
        urlOfName(name);
      }
      declared.add(destination);
    }
  }

  private String create(String name) {
    // Only the attributes fixed at creation go here, so CreateQueue stays idempotent on a queue
    // that
    // exists; the mutable ones are set afterwards.
    Map<QueueAttributeName, String> attributes = new HashMap<>();
    if (settings.fifo()) {
      attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
      attributes.put(QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
    }
    String url;
    try {
      url = client.createQueue(r -> r.queueName(name).attributes(attributes)).queueUrl();
    } catch (QueueNameExistsException e) {
      url = client.getQueueUrl(r -> r.queueName(name)).queueUrl();
    }
    urls.put(name, url);
    return url;
  }

  /**
   * Returns the URL of a destination's queue, resolving it once.
   *
   * @param destination the destination
   * @return the queue URL
   * @throws IllegalStateException if the queue does not exist
   */
  public String url(String destination) {
    return urlOfName(queueName(destination));
  }

  private String urlOfName(String name) {
    String url = urls.get(name);
    if (url != null) {
      return url;
    }
    try {
      url = client.getQueueUrl(r -> r.queueName(name)).queueUrl();
    } catch (QueueDoesNotExistException e) {
      throw new IllegalStateException(
          "SQS queue '"
              + name
              + "' does not exist [Hint: call declare(destination)"
              + " first, or create it with its dead-letter queue when the host manages the topology]",
          e);
    }
    urls.put(name, url);
    return url;
  }
}
