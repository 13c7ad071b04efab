package dev.postoffice.admin;

import dev.postoffice.RawMessage;
import dev.postoffice.RejectedInputException;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.PostOffice;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.model.Payload;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.PipelineDriver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Acme's orders into a Core App on the in-memory store and transport, with the bug of the console's
 * story: Acme renamed {@code currency} to {@code curr}, and the translator rejects orders without a
 * currency until {@link #fixTranslator()} (the deploy of the fix). Built with manual scheduling for
 * the API tests ({@link #drain()}), or running on its own threads for the browser test.
 */
final class Shop implements AutoCloseable {
  static final String ORDERS = "acme-orders";
  static final String QUEUE = "core.orders";
  static final String OPERATOR_TOKEN = "operator-token-0123456789";
  static final String VIEWER_TOKEN = "viewer-token-0123456789ab";

  /** Acme's order; {@code curr} is the field's new name. */
  record Order(String id, int qty, String currency, String curr) {}

  /** What the Core App receives. */
  record OrderPlaced(String orderId, int qty, String currency) {}

  final StatusStore store;
  final InMemoryTransport transport = InMemoryTransport.create();
  final AtomicBoolean fixed = new AtomicBoolean();
  final Pipeline pipeline;
  private final PipelineDriver driver;
  private final CoreAppReceiver<OrderPlaced> receiver;

  private Shop(boolean manual, StatusStore store) {
    this.store = store;
    JacksonCodec codec = JacksonCodec.create();
    var builder =
        PostOffice.builder()
            .nodeId("node-1")
            .store(store)
            .transport(transport)
            .pauseRefreshInterval(Duration.ZERO)
            .route(
                Route.upstream(ORDERS)
                    .normalize(Order.class, raw -> codec.decode(raw.payload(), Order.class))
                    .translate(OrderPlaced.class, this::translate)
                    .publishTo(QUEUE)
                    .settings(RouteSettings.builder().linger(Duration.ZERO).build())
                    .build());
    if (manual) {
      builder.manualScheduling();
    }
    pipeline = builder.build().start();
    driver = manual ? PipelineDriver.of(pipeline, transport) : null;
    receiver =
        CoreAppReceiver.builder(transport, InMemoryReceiptLog.create(), OrderPlaced.class)
            .from(QUEUE)
            .handler((order, ctx) -> {})
            .build()
            .start();
  }

  /** A shop whose stages run when the test calls {@link #drain()}. */
  static Shop manual() {
    return new Shop(true, InMemoryStatusStore.create());
  }

  /** A shop on another store, whose stages run when the test calls {@link #drain()}. */
  static Shop manual(StatusStore store) {
    return new Shop(true, store);
  }

  /** A shop whose stages run on their own threads, as in production. */
  static Shop running() {
    return new Shop(false, InMemoryStatusStore.create());
  }

  private List<OrderPlaced> translate(Order order) {
    String currency =
        order.currency() != null ? order.currency() : fixed.get() ? order.curr() : null;
    if (currency == null) {
      throw new RejectedInputException(
          "order " + order.id() + ": currency is missing (translator acme-orders@1)");
    }
    return List.of(new OrderPlaced(order.id(), order.qty(), currency));
  }

  /** Deploys the translator's fix: it reads Acme's new field name. */
  void fixTranslator() {
    fixed.set(true);
  }

  /** Sends a good order, with {@code currency}. */
  void good(String id) {
    submit(id, "{\"id\":\"" + id + "\",\"qty\":2,\"currency\":\"EUR\"}");
  }

  /** Sends an order in Acme's new format, with {@code curr}: rejected until the fix. */
  void renamed(String id) {
    submit(id, "{\"id\":\"" + id + "\",\"qty\":1,\"curr\":\"EUR\"}");
  }

  void submit(String id, String json) {
    pipeline
        .intake(ORDERS)
        .submit(RawMessage.json(json, "wh-" + id).withHeader("X-Acme-Signature", "sha256=secret"));
  }

  void submitBinary(String id, byte[] bytes) {
    pipeline
        .intake(ORDERS)
        .submit(new RawMessage(Payload.of(bytes, Payload.OCTET_STREAM), null, "wh-" + id));
  }

  void drain() {
    driver.drain();
  }

  @Override
  public void close() {
    receiver.close();
    pipeline.close();
    transport.close();
    store.close();
  }
}
