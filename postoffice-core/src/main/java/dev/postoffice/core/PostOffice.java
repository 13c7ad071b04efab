package dev.postoffice.core;

/**
 * The entry point: {@code PostOffice.builder()} starts describing a pipeline.
 *
 * <pre>{@code
 * Pipeline pipeline = PostOffice.builder()
 *     .store(InMemoryStatusStore.create())
 *     .transport(InMemoryTransport.create())
 *     .route(Route.upstream("acme-orders")
 *         .normalize(AcmeOrder.class, raw -> codec.decode(raw.payload(), AcmeOrder.class))
 *         .translate(OrderPlaced.class, order -> List.of(OrderPlaced.from(order)))
 *         .publishTo("core.orders")
 *         .build())
 *     .build()
 *     .start();
 * }</pre>
 */
public final class PostOffice {
  private PostOffice() {}

  /**
   * Starts describing a pipeline.
   *
   * @return a new builder
   */
  public static PipelineBuilder builder() {
    return new PipelineBuilder();
  }
}
