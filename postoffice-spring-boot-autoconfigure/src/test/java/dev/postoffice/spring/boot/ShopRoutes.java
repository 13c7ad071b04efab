package dev.postoffice.spring.boot;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Route;
import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.Transport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A route the tests define as a bean, and helpers to watch what it publishes. */
final class ShopRoutes {
  static final String ROUTE = "shop-orders";
  static final String QUEUE = "core-orders";

  private ShopRoutes() {}

  /** Upper-cases the partner's text: enough to see that L2 and L3 ran. */
  static Route orders(String queue) {
    return Route.upstream(ROUTE)
        .normalize(String.class, raw -> raw.payload().asUtf8())
        .translate(String.class, text -> List.of(text.toUpperCase(java.util.Locale.ROOT)))
        .publishTo(queue)
        .build();
  }

  static RawMessage order(String text, String id) {
    return RawMessage.json("\"" + text + "\"", id);
  }

  /** Collects what arrives on a queue of the transport. */
  static BlockingQueue<String> watch(Transport transport, String queue) {
    BlockingQueue<String> got = new LinkedBlockingQueue<>();
    transport.subscribe(
        queue,
        (InboundMessage m) -> {
          got.add(new String(m.body(), StandardCharsets.UTF_8));
          return Disposition.ack();
        });
    return got;
  }

  static String next(BlockingQueue<String> queue) throws InterruptedException {
    String m = queue.poll(10, TimeUnit.SECONDS);
    if (m == null) {
      throw new AssertionError("nothing arrived within 10 s");
    }
    return m;
  }
}
