package dev.postoffice.core.support;

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
import dev.postoffice.model.EntryId;
import dev.postoffice.model.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PipelineListener} for tests: records the events of the types it is given, in the order
 * the engine reports them, from any thread.
 */
public final class RecordingListener implements PipelineListener {
  /** The recorded events, oldest first. */
  public final List<Object> events = new CopyOnWriteArrayList<>();

  private final Set<Class<?>> types;

  /**
   * Records the events of these types and ignores the others.
   *
   * @param types event classes, such as {@code StatusChanged.class}
   */
  public RecordingListener(Class<?>... types) {
    this.types = Set.of(types);
  }

  /** The recorded events of one type, oldest first. */
  public <T> List<T> of(Class<T> type) {
    return events.stream().filter(type::isInstance).map(type::cast).toList();
  }

  /** Each entry's status changes as "from->to" ("-" for a creation), in order. */
  public Map<EntryId, List<String>> moves() {
    Map<EntryId, List<String>> out = new LinkedHashMap<>();
    for (StatusChanged e : of(StatusChanged.class)) {
      out.computeIfAbsent(e.entryId(), k -> new ArrayList<>()).add(move(e.from(), e.to()));
    }
    return out;
  }

  /** A status change as "from->to", "-" standing for no status (a creation). */
  public static String move(Status from, Status to) {
    return (from == null ? "-" : from.name()) + "->" + to.name();
  }

  private void record(Object event) {
    if (types.contains(event.getClass())) {
      events.add(event);
    }
  }

  @Override
  public void onStageStarted(StageStarted event) {
    record(event);
  }

  @Override
  public void onStageFinished(StageFinished event) {
    record(event);
  }

  @Override
  public void onEntryFailed(EntryFailed event) {
    record(event);
  }

  @Override
  public void onWorkerReplaced(WorkerReplaced event) {
    record(event);
  }

  @Override
  public void onStatusChanged(StatusChanged event) {
    record(event);
  }

  @Override
  public void onMessageDelivered(MessageDelivered event) {
    record(event);
  }

  @Override
  public void onPublishConfirmed(PublishConfirmed event) {
    record(event);
  }

  @Override
  public void onBacklogSampled(BacklogSampled event) {
    record(event);
  }

  @Override
  public void onPublishFailed(PublishFailed event) {
    record(event);
  }

  @Override
  public void onMessageDeadLettered(MessageDeadLettered event) {
    record(event);
  }

  @Override
  public void onMessageRedelivered(MessageRedelivered event) {
    record(event);
  }
}
