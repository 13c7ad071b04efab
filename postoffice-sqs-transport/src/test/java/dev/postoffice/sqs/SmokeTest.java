package dev.postoffice.sqs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.spi.Disposition;
import dev.postoffice.spi.InboundMessage;
import dev.postoffice.spi.OutboundMessage;
import dev.postoffice.spi.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void roundTrip() throws Exception {
    for (boolean fifo : new boolean[] {false, true}) {
      try (SqsTransport t = SqsTransport.create(ElasticMq.get().settings().fifo(fifo).maxDeliveries(2).build())) {
        t.declare("q");
        t.publish("q", new OutboundMessage("m1", Map.of("postoffice-route", "r", "a", "b"),
            "hello".getBytes(StandardCharsets.UTF_8), "text/plain")).get(5, TimeUnit.SECONDS);
        t.publish("q", new OutboundMessage("m2", Map.of(), new byte[] {0, 1, 2, (byte) 0xff},
            "application/octet-stream")).get(5, TimeUnit.SECONDS);
        LinkedBlockingQueue<InboundMessage> got = new LinkedBlockingQueue<>();
        try (Subscription s = t.subscribe("q", m -> {
          got.add(m);
          return m.messageId().equals("m2") ? Disposition.requeue("again") : Disposition.ack();
        })) {
          for (int i = 0; i < 3; i++) {
            InboundMessage m = got.poll(10, TimeUnit.SECONDS);
            System.out.println(System.currentTimeMillis() % 100000 + " " + fifo + " " + m + " " + m.headers());
          }
        }
        LinkedBlockingQueue<InboundMessage> dead = new LinkedBlockingQueue<>();
        try (Subscription s = t.subscribe(t.deadLetterDestination("q"), m -> {
          dead.add(m);
          return Disposition.ack();
        })) {
          InboundMessage m = dead.poll(10, TimeUnit.SECONDS);
          System.out.println(System.currentTimeMillis() % 100000 + " " + "dead " + m + " " + m.headers());
          assertThat(m.messageId()).isEqualTo("m2");
        }
      }
    }
  }
}
