package dev.postoffice.core;

import dev.postoffice.core.internal.Require;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.model.Direction;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.Codec;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of describing a route, once its stages are complete: settings and the versions
 * recorded on what its stages produce. Not thread-safe.
 */
public final class RouteBuilder {
  /** Default version recorded for stages whose version is not set. */
  public static final String DEFAULT_VERSION = "1";

  /** Builds the stage list once the route's id and the pipeline's codec are known. */
  @FunctionalInterface
  interface StageFactory {
    List<StageSpec> create(RouteId id, Codec codec, Versions versions);
  }

  /** The versions recorded on outputs, per stage. */
  record Versions(String normalizer, String translator, String dispatcher) {}

  private final String name;
  private final Direction direction;
  private final List<String> errors;
  private final StageFactory stages;
  private final String sourceDestination;
  private RouteSettings settings = RouteSettings.ofDefaults();
  private String normalizerVersion = DEFAULT_VERSION;
  private String translatorVersion = DEFAULT_VERSION;
  private String dispatcherVersion = DEFAULT_VERSION;

  RouteBuilder(
      String name,
      Direction direction,
      List<String> errors,
      StageFactory stages,
      String sourceDestination) {
    this.name = name;
    this.direction = direction;
    this.errors = new ArrayList<>(errors);
    this.stages = stages;
    this.sourceDestination = sourceDestination;
  }

  /**
   * Sets the route's settings.
   *
   * @param value the settings; default {@link RouteSettings#ofDefaults()}
   * @return this builder
   */
  public RouteBuilder settings(RouteSettings value) {
    this.settings = value;
    return this;
  }

  /**
   * Sets the version recorded on what the normalizer produces, so an operator can tell which
   * mapping made an entry.
   *
   * @param value the version; default {@value #DEFAULT_VERSION}
   * @return this builder
   */
  public RouteBuilder normalizerVersion(String value) {
    this.normalizerVersion = value;
    return this;
  }

  /**
   * Sets the version recorded on what the translator produces.
   *
   * @param value the version; default {@value #DEFAULT_VERSION}
   * @return this builder
   */
  public RouteBuilder translatorVersion(String value) {
    this.translatorVersion = value;
    return this;
  }

  /**
   * Sets the version recorded for the dispatcher (downstream).
   *
   * @param value the version; default {@value #DEFAULT_VERSION}
   * @return this builder
   */
  public RouteBuilder dispatcherVersion(String value) {
    this.dispatcherVersion = value;
    return this;
  }

  /**
   * Builds the route. Problems are collected and reported together by {@link
   * PipelineBuilder#build()}.
   *
   * @return the route
   */
  public Route build() {
    List<String> all = new ArrayList<>(errors);
    String path = "route[" + name + "]";
    Require.collect(all, path, () -> RouteId.of(name));
    Require.collect(all, path, () -> Require.nonNull(settings, "settings"));
    Require.collect(all, path, () -> Require.nonBlank(normalizerVersion, "normalizerVersion"));
    Require.collect(all, path, () -> Require.nonBlank(translatorVersion, "translatorVersion"));
    Require.collect(all, path, () -> Require.nonBlank(dispatcherVersion, "dispatcherVersion"));
    Versions versions = new Versions(normalizerVersion, translatorVersion, dispatcherVersion);
    return new Route(name, direction, settings, all, stages, versions, sourceDestination);
  }

  static void checkNotNull(
      List<String> errors, String name, String layer, Object value, String what) {
    if (value == null) {
      errors.add("route[" + name + "] " + layer + ": " + what + " cannot be null");
    }
  }

  static void checkDestination(List<String> errors, String name, String layer, String destination) {
    if (destination == null || destination.isBlank()) {
      errors.add("route[" + name + "] " + layer + ": destination cannot be null or blank");
    }
  }
}
