package dev.postoffice.spring.boot;

import dev.postoffice.Ingestor;
import java.util.Objects;

/**
 * An {@link Ingestor} for one upstream route, declared as a bean: the auto-configured pipeline
 * passes it to {@code PipelineBuilder.ingestor(route, ingestor)}, so it starts after the stages and
 * stops before them.
 *
 * <pre>{@code
 * @Bean
 * RouteIngestor acmeWebhook() {
 *   return RouteIngestor.of("acme-orders", WebhookServer.builder()...build());
 * }
 * }</pre>
 *
 * @param route the upstream route's name
 * @param ingestor the ingestor
 */
public record RouteIngestor(String route, Ingestor ingestor) {
  /**
   * Checks the arguments.
   *
   * @throws NullPointerException if an argument is null
   */
  public RouteIngestor {
    Objects.requireNonNull(route, "route cannot be null");
    Objects.requireNonNull(ingestor, "ingestor cannot be null");
  }

  /**
   * Pairs an ingestor with its route.
   *
   * @param route the upstream route's name
   * @param ingestor the ingestor
   * @return the pair
   * @throws NullPointerException if an argument is null
   */
  public static RouteIngestor of(String route, Ingestor ingestor) {
    return new RouteIngestor(route, ingestor);
  }
}
