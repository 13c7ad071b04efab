package dev.postoffice.testkit.junit;

import static dev.postoffice.testkit.junit.PostOfficeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.core.Route;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@PostOfficeTest
@DisplayName("@TestRoute methods")
class TestRouteDiscoveryTest {
  static final AtomicInteger CALLS = new AtomicInteger();

  @TestRoute
  static Route orders() {
    CALLS.incrementAndGet();
    return Shop.orders();
  }

  @Test
  @DisplayName("are read when the pipeline starts, and a listener configured before applies")
  void staticMethod(TestPostOffice po) {
    AtomicInteger changes = new AtomicInteger();
    int before = CALLS.get();
    po.configure(
        builder ->
            builder.listener(
                new dev.postoffice.event.PipelineListener() {
                  @Override
                  public void onStatusChanged(dev.postoffice.event.StatusChanged event) {
                    changes.incrementAndGet();
                  }
                }));
    assertThat(CALLS.get()).isEqualTo(before); // not yet: nothing started the pipeline

    po.submit(Shop.ORDERS, Shop.order("o-1", 1), null);
    po.drain();

    assertThat(CALLS.get()).isEqualTo(before + 1);
    assertThat(po).route(Shop.ORDERS).layer(Layer.L1).hasStatus(Status.PROCESSED);
    assertThat(changes.get()).isPositive();
  }
}
