package dev.postoffice.core.functional;

import static org.assertj.core.api.Assertions.assertThat;

import dev.postoffice.RawMessage;
import dev.postoffice.core.Pipeline;
import dev.postoffice.core.support.Drain;
import dev.postoffice.core.support.Harness;
import dev.postoffice.core.support.Models;
import dev.postoffice.event.EntryFailed;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.StageFinished;
import dev.postoffice.event.StageStarted;
import dev.postoffice.model.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A pipeline listener")
class ListenerTest {
  private final Harness h = new Harness();

  @AfterEach
  void tearDown() {
    h.close();
  }

  @Test
  @DisplayName(
      "hears every batch start and finish with its size and duration, and every failure with its outcome")
  void hearsStagesAndFailures() {
    List<Object> events = new CopyOnWriteArrayList<>();
    PipelineListener listener =
        new PipelineListener() {
          @Override
          public void onStageStarted(StageStarted event) {
            events.add(event);
          }

          @Override
          public void onStageFinished(StageFinished event) {
            events.add(event);
          }

          @Override
          public void onEntryFailed(EntryFailed event) {
            events.add(event);
            throw new IllegalStateException("a broken listener must not break the pipeline");
          }
        };
    Pipeline p =
        h.pipeline("node-a")
            .listener(listener)
            .route(h.ordersRoute(Harness::perLine, h.settings()))
            .build()
            .start();
    h.startReceiver();
    p.intake(Harness.ORDERS).submit(RawMessage.json(Models.orderJson("o-1", 1), null));
    p.intake(Harness.ORDERS).submit(RawMessage.json("{", null));
    Drain.untilIdle(p, h.transport);

    assertThat(events)
        .filteredOn(StageStarted.class::isInstance)
        .extracting(e -> ((StageStarted) e).stage())
        .containsExactly("normalize", "translate", "hand-off", "publish");
    assertThat(events)
        .filteredOn(StageFinished.class::isInstance)
        .map(StageFinished.class::cast)
        .allSatisfy(e -> assertThat(e.duration()).isPositive())
        .first()
        .satisfies(
            e -> {
              assertThat(e.entries()).isEqualTo(2);
              assertThat(e.failures()).isEqualTo(1);
            });
    assertThat(events)
        .filteredOn(EntryFailed.class::isInstance)
        .map(EntryFailed.class::cast)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.outcome()).isEqualTo(Status.REJECTED);
              assertThat(e.stage()).isEqualTo("normalize");
            });
    assertThat(h.coreSaw).hasSize(1);
    p.close();
  }
}
