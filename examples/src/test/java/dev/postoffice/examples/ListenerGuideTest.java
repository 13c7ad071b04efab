package dev.postoffice.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.codec.JacksonCodec;
import dev.postoffice.core.Route;
import dev.postoffice.core.RouteSettings;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.model.Status;
import dev.postoffice.testkit.junit.PostOfficeTest;
import dev.postoffice.testkit.junit.TestPostOffice;
import dev.postoffice.testkit.junit.TestRoute;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The PipelineListener code docs/observability.md quotes, run. */
@PostOfficeTest
@DisplayName("A PipelineListener")
class ListenerGuideTest {
  // tag::listener[]
  /**
   * Hands every entry that waits for an operator to the team's alerting, off the engine's thread.
   */
  static final class OperatorAlerts implements PipelineListener {
    private static final Set<Status> NEED_AN_OPERATOR = Set.of(Status.FAILED, Status.REJECTED);
    private final BlockingQueue<String> outbox; // drained by a thread that calls the alerting API

    OperatorAlerts(BlockingQueue<String> outbox) {
      this.outbox = outbox;
    }

    @Override
    public void onStatusChanged(StatusChanged event) {
      if (NEED_AN_OPERATOR.contains(event.to())) {
        // Called on an engine thread after the store has the change: return quickly, never block.
        outbox.offer(
            event.route()
                + " "
                + event.layer()
                + " entry "
                + event.entryId()
                + " is "
                + event.to()
                + ": "
                + event.detail());
      }
    }
  }

  // end::listener[]

  @TestRoute Route orders = AcmeRoutes.orders(JacksonCodec.create(), RouteSettings.ofDefaults());

  @Test
  @DisplayName("sees a rejected delivery once the store has it")
  void alerts(TestPostOffice po) {
    // tag::listenerWiring[]
    BlockingQueue<String> outbox = new LinkedBlockingQueue<>(10_000);
    po.configure(builder -> builder.listener(new OperatorAlerts(outbox))); // PostOffice.builder()
    // end::listenerWiring[]

    IntakeReceipt broken = po.submit(AcmeRoutes.ORDERS, "{\"customer\": \"C-1\"}", null);
    po.submit(AcmeRoutes.ORDERS, AcmeTraffic.orderJson("A-1", 1), null);
    po.drain();

    assertThat(List.copyOf(outbox))
        .containsExactly(
            "acme-orders L1 entry "
                + broken.entryId()
                + " is Rejected: orderId is required, but was missing");
  }
}
