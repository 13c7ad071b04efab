package dev.postoffice.core.intake;

import dev.postoffice.core.internal.Require;
import java.util.Optional;
import java.util.Set;

/**
 * Which event types a webhook route takes, read from a header such as GitHub's {@code
 * X-GitHub-Event}. A request of another type (GitHub's {@code ping}, an event the partner sends to
 * every subscriber) is answered 200 and recorded as a {@code Filtered} entry with its reason, so it
 * is traceable and no stage works on it. A request without the header is filtered too.
 *
 * <pre>{@code
 * WebhookRoute.builder("github-pushes")
 *     .signature(WebhookSignature.github(secrets))
 *     .acceptEvents("X-GitHub-Event", "push")
 *     .build();
 * }</pre>
 *
 * @param header the header naming the event type
 * @param accepted the event types processed, compared exactly
 */
public record WebhookEventFilter(String header, Set<String> accepted) {
  /**
   * Checks the values.
   *
   * @throws NullPointerException if a value is null
   * @throws IllegalArgumentException if the header is blank or no event type is given
   */
  public WebhookEventFilter {
    Require.nonBlank(header, "header");
    Require.nonNull(accepted, "accepted");
    if (accepted.isEmpty()) {
      throw new IllegalArgumentException("accepted must hold at least 1 event type, but was empty");
    }
    accepted = Set.copyOf(accepted);
  }

  /**
   * Returns why a request is filtered, or empty if its event type is accepted.
   *
   * @param request the request
   * @return the reason, naming the header and the type
   */
  public Optional<String> reasonToFilter(WebhookRequest request) {
    Optional<String> type = request.header(header).map(String::trim);
    if (type.isEmpty()) {
      return Optional.of("no " + header + " header; accepted event types: " + sorted());
    }
    if (accepted.contains(type.get())) {
      return Optional.empty();
    }
    return Optional.of(
        "event type " + header + ": " + type.get() + " is not one of " + sorted() + "");
  }

  private String sorted() {
    return accepted.stream().sorted().toList().toString();
  }
}
