package dev.postoffice.testkit.junit;

import static dev.postoffice.testkit.junit.PostOfficeAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.postoffice.IntakeReceipt;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.Route;
import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.core.memory.InMemoryTransport;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.model.Entry;
import dev.postoffice.model.Layer;
import dev.postoffice.model.Status;
import dev.postoffice.testkit.MutableClock;
import dev.postoffice.testkit.PipelineDriver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@PostOfficeTest(clockStart = "2031-02-03T04:05:06Z")
@DisplayName("@PostOfficeTest")
class PostOfficeExtensionTest {
  @TestRoute Route orders = Shop.orders();

  private final List<Shop.Line> handled = new ArrayList<>();

  @BeforeEach
  void coreApp(TestPostOffice po) {
    po.closeAfterTest(
        CoreAppReceiver.builder(po.transport(), InMemoryReceiptLog.create(), Shop.Line.class)
            .from(Shop.QUEUE)
            .clock(po.clock())
            .handler((line, context) -> handled.add(line))
            .build()
            .start());
  }

  @Nested
  @DisplayName("injects")
  class Injection {
    @Test
    @DisplayName("the parts of one pipeline, with the clock where the annotation starts it")
    void parts(
        TestPostOffice po,
        MutableClock clock,
        InMemoryStatusStore store,
        InMemoryTransport transport,
        Pipeline pipeline,
        PipelineDriver driver) {
      assertThat(clock).isSameAs(po.clock());
      assertThat(store).isSameAs(po.store());
      assertThat(transport).isSameAs(po.transport());
      assertThat(pipeline).isSameAs(po.pipeline());
      assertThat(driver).isSameAs(po.driver());
      assertThat(clock.instant()).isEqualTo(Instant.parse("2031-02-03T04:05:06Z"));
    }

    @Test
    @DisplayName("a pipeline with the enclosing class's @TestRoute routes and manual scheduling")
    void routes(TestPostOffice po) {
      assertThat(po.pipeline().routes()).extracting(Object::toString).containsExactly(Shop.ORDERS);
      po.submit(Shop.ORDERS, Shop.order("o-1", 1), null);
      assertThat(po.entries(Shop.ORDERS, Layer.L1))
          .singleElement()
          .extracting(Entry::status)
          .isEqualTo(Status.JUST_IN); // no worker thread took it
    }
  }

  @Nested
  @DisplayName("drives")
  class Driving {
    @Test
    @DisplayName("the pipeline until idle, through the Core App's acknowledgement")
    void untilIdle(TestPostOffice po) {
      IntakeReceipt receipt = po.submit(Shop.ORDERS, Shop.order("o-1", 2), "d-1");
      po.drain();

      assertThat(po).entry(receipt).hasHistory(Status.JUST_IN, Status.PROCESSED);
      assertThat(po)
          .descendantsOf(receipt)
          .layer(Layer.L4)
          .hasSize(2)
          .hasStatus(Status.ACKNOWLEDGED)
          .haveHistory(Status.JUST_IN, Status.QUEUED, Status.ACKNOWLEDGED);
      assertThat(po).route(Shop.ORDERS).layer(Layer.L3).hasSize(2).hasStatus(Status.PROCESSED);
      assertThat(handled)
          .containsExactlyInAnyOrder(new Shop.Line("o-1", 1), new Shop.Line("o-1", 2));
    }

    @Test
    @DisplayName("time only when the test moves the clock")
    void clock(TestPostOffice po) {
      IntakeReceipt bad = po.submit(Shop.ORDERS, "{\"lines\":1}", null);
      po.drain();
      po.clock().advance(Duration.ofDays(1));
      po.drain();

      assertThat(po)
          .entry(bad)
          .hasStatus(Status.REJECTED)
          .hasErrorContaining("id is required, but was missing");
      assertThat(po).route(Shop.ORDERS).layer(Layer.L2).isEmpty();
    }

    @Test
    @DisplayName("a new pipeline on the same store after restart, as a deployment would")
    void restart(TestPostOffice po) {
      IntakeReceipt first = po.submit(Shop.ORDERS, Shop.order("o-1", 1), null);
      po.restart(Shop.orders());
      po.drain();

      assertThat(po).entry(first).hasStatus(Status.PROCESSED);
    }
  }

  @Nested
  @DisplayName("fails with a message that says what happened")
  class Failures {
    @Test
    @DisplayName("naming each entry that does not match, with its status, error and history")
    void wrongStatus(TestPostOffice po) {
      IntakeReceipt bad = po.submit(Shop.ORDERS, "{\"lines\":1}", null);
      po.drain();

      assertThatThrownBy(
              () -> assertThat(po).route(Shop.ORDERS).layer(Layer.L1).hasStatus(Status.PROCESSED))
          .isInstanceOf(AssertionError.class)
          .hasMessage(
              "expected entries of route shop-orders in L1 to be Processed but 1 of 1 are not: %n"
                  + "  entry %s Rejected (last error: id is required, but was missing), history"
                  + " [Just In, Rejected]",
              bad.entryId());
    }

    @Test
    @DisplayName("saying so when there is no entry at all")
    void none(TestPostOffice po) {
      po.drain();

      assertThatThrownBy(
              () ->
                  assertThat(po).route(Shop.ORDERS).layer(Layer.L4).hasStatus(Status.ACKNOWLEDGED))
          .hasMessage(
              "expected entries of route shop-orders in L4 to be Acknowledged but there are none");
      assertThatThrownBy(() -> assertThat(po).route(Shop.ORDERS).layer(Layer.L4).hasSize(2))
          .hasMessage("expected 2 entries of route shop-orders in L4 but found 0: none");
    }

    @Test
    @DisplayName("refusing configure(...) once the pipeline has started")
    void configureLate(TestPostOffice po) {
      po.pipeline();

      assertThatThrownBy(() -> po.configure(builder -> {}))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("configure(...) must come before the pipeline starts");
    }
  }
}
