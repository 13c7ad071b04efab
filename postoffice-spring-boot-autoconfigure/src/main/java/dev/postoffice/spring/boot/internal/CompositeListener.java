package dev.postoffice.spring.boot.internal;

import dev.postoffice.event.BacklogSampled;
import dev.postoffice.event.EntryFailed;
import dev.postoffice.event.MessageDeadLettered;
import dev.postoffice.event.MessageDelivered;
import dev.postoffice.event.MessageRedelivered;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.PublishConfirmed;
import dev.postoffice.event.PublishFailed;
import dev.postoffice.event.StageFinished;
import dev.postoffice.event.StageStarted;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.event.WorkerReplaced;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands every event to each of the application's {@link PipelineListener} beans, in order. One
 * listener that throws does not keep the event from the others.
 */
public final class CompositeListener implements PipelineListener {
  private static final Logger LOG = LoggerFactory.getLogger(CompositeListener.class);

  private final List<PipelineListener> listeners;

  private CompositeListener(List<PipelineListener> listeners) {
    this.listeners = listeners;
  }

  /**
   * Returns one listener for several.
   *
   * @param listeners the listeners, in the order they are called
   * @return {@link PipelineListener#EMPTY} for none, the listener itself for one, else a fan-out
   */
  public static PipelineListener of(List<PipelineListener> listeners) {
    if (listeners.isEmpty()) {
      return PipelineListener.EMPTY;
    }
    if (listeners.size() == 1) {
      return listeners.get(0);
    }
    return new CompositeListener(List.copyOf(listeners));
  }

  private void each(Consumer<PipelineListener> call) {
    for (PipelineListener listener : listeners) {
      try {
        call.accept(listener);
      } catch (RuntimeException e) {
        // A metrics or alerting bug must not cost the other listeners their events.
        LOG.warn("PipelineListener {} failed: {}", listener.getClass().getName(), e.toString());
      }
    }
  }

  @Override
  public void onStageStarted(StageStarted event) {
    each(l -> l.onStageStarted(event));
  }

  @Override
  public void onStageFinished(StageFinished event) {
    each(l -> l.onStageFinished(event));
  }

  @Override
  public void onEntryFailed(EntryFailed event) {
    each(l -> l.onEntryFailed(event));
  }

  @Override
  public void onWorkerReplaced(WorkerReplaced event) {
    each(l -> l.onWorkerReplaced(event));
  }

  @Override
  public void onStatusChanged(StatusChanged event) {
    each(l -> l.onStatusChanged(event));
  }

  @Override
  public void onMessageDelivered(MessageDelivered event) {
    each(l -> l.onMessageDelivered(event));
  }

  @Override
  public void onPublishConfirmed(PublishConfirmed event) {
    each(l -> l.onPublishConfirmed(event));
  }

  @Override
  public void onBacklogSampled(BacklogSampled event) {
    each(l -> l.onBacklogSampled(event));
  }

  @Override
  public void onPublishFailed(PublishFailed event) {
    each(l -> l.onPublishFailed(event));
  }

  @Override
  public void onMessageDeadLettered(MessageDeadLettered event) {
    each(l -> l.onMessageDeadLettered(event));
  }

  @Override
  public void onMessageRedelivered(MessageRedelivered event) {
    each(l -> l.onMessageRedelivered(event));
  }
}
