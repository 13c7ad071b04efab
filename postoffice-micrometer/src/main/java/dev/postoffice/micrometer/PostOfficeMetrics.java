package dev.postoffice.micrometer;

import dev.postoffice.core.Pipeline;
import dev.postoffice.event.BacklogSampled;
import dev.postoffice.event.EntryFailed;
import dev.postoffice.event.MessageDeadLettered;
import dev.postoffice.event.MessageDelivered;
import dev.postoffice.event.MessageRedelivered;
import dev.postoffice.event.PipelineListener;
import dev.postoffice.event.PublishConfirmed;
import dev.postoffice.event.PublishFailed;
import dev.postoffice.event.StageFinished;
import dev.postoffice.event.StatusChanged;
import dev.postoffice.event.WorkerReplaced;
import dev.postoffice.micrometer.internal.EventMeters;
import dev.postoffice.micrometer.internal.MetricsConfig;
import dev.postoffice.micrometer.internal.Require;
import dev.postoffice.micrometer.internal.StoreGauges;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer meters for one pipeline: the one object a host registers, both the pipeline's {@link
 * PipelineListener} (counters and timers from its events) and a {@link MeterBinder} (gauges that
 * read the store through the pipeline's operator API, cached). {@link MeterNames} lists the meters.
 *
 * <p>The listener has to exist before the pipeline is built, and the gauges need the built
 * pipeline, so the wiring is two lines: build the binder, pass it to the pipeline builder, then
 * attach the built pipeline and bind a registry (in either order; the gauges appear once both are
 * done, the counters and timers as soon as a registry is bound):
 *
 * <pre>{@code
 * PostOfficeMetrics metrics = PostOfficeMetrics.builder().gaugeRefresh(Duration.ofSeconds(10)).build();
 * Pipeline pipeline = PostOffice.builder()...listener(metrics).build();
 * metrics.attach(pipeline).bindTo(registry);
 * }</pre>
 *
 * <p>Events that arrive before a registry is bound are not counted. One binder serves one pipeline
 * and one registry (bind a {@code CompositeMeterRegistry} to publish to several). Thread-safe.
 */
public final class PostOfficeMetrics implements PipelineListener, MeterBinder {
  private final MetricsConfig config;
  private volatile EventMeters events;
  private MeterRegistry registry;
  private Pipeline pipeline;

  PostOfficeMetrics(MetricsConfig config) {
    this.config = config;
  }

  /**
   * Returns a builder with the defaults.
   *
   * @return the builder
   */
  public static PostOfficeMetricsBuilder builder() {
    return new PostOfficeMetricsBuilder();
  }

  /**
   * Returns a binder with the defaults: gauges refreshed every {@link
   * PostOfficeMetricsBuilder#DEFAULT_GAUGE_REFRESH}, no histograms, no percentiles.
   *
   * @return the binder
   */
  public static PostOfficeMetrics ofDefaults() {
    return builder().build();
  }

  /**
   * Attaches the built pipeline whose store the gauges read (backlog, oldest age, failed,
   * rejected). Call it after {@code build()}; before it, only the event meters exist.
   *
   * @param value the pipeline this binder listens to
   * @return this binder
   * @throws IllegalStateException if a different pipeline was attached before
   */
  public synchronized PostOfficeMetrics attach(Pipeline value) {
    Require.nonNull(value, "pipeline");
    if (pipeline != null && pipeline != value) {
      throw new IllegalStateException(
          "this binder is attached to pipeline "
              + pipeline.nodeId()
              + " already [Hint: build one PostOfficeMetrics per pipeline]");
    }
    if (pipeline == null) {
      pipeline = value;
      registerGauges();
    }
    return this;
  }

  /**
   * Binds the meters to a registry: the event meters at once, the gauges once a pipeline is
   * attached. Binding the same registry again does nothing.
   *
   * @param value the registry
   * @throws IllegalStateException if a different registry was bound before
   */
  @Override
  public synchronized void bindTo(MeterRegistry value) {
    Require.nonNull(value, "registry");
    if (registry != null && registry != value) {
      throw new IllegalStateException(
          "this binder is bound to a registry already"
              + " [Hint: bind a CompositeMeterRegistry to publish to several]");
    }
    if (registry == null) {
      registry = value;
      events = new EventMeters(value, config);
      registerGauges();
    }
  }

  private void registerGauges() {
    if (registry != null && pipeline != null && config.storeGauges()) {
      new StoreGauges(pipeline.operations(), pipeline.routes(), config).register(registry);
    }
  }

  @Override
  public void onStatusChanged(StatusChanged event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.statusChanged(event);
    }
  }

  @Override
  public void onStageFinished(StageFinished event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.stageFinished(event);
    }
  }

  @Override
  public void onMessageDelivered(MessageDelivered event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.messageDelivered(event);
    }
  }

  @Override
  public void onPublishConfirmed(PublishConfirmed event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.publishConfirmed(event);
    }
  }

  @Override
  public void onPublishFailed(PublishFailed event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.publishFailed(event);
    }
  }

  @Override
  public void onMessageDeadLettered(MessageDeadLettered event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.messageDeadLettered(event);
    }
  }

  @Override
  public void onMessageRedelivered(MessageRedelivered event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.messageRedelivered(event);
    }
  }

  @Override
  public void onWorkerReplaced(WorkerReplaced event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.workerReplaced(event);
    }
  }

  @Override
  public void onEntryFailed(EntryFailed event) {
    EventMeters meters = events;
    if (meters != null) {
      meters.entryFailed(event);
    }
  }

  /**
   * Ignored: the {@link MeterNames#BACKLOG} gauge counts the same entries per layer, from the
   * store, for every node at once.
   */
  @Override
  public void onBacklogSampled(BacklogSampled event) {}
}
