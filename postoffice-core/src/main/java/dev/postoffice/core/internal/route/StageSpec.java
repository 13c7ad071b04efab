package dev.postoffice.core.internal.route;

import dev.postoffice.Dispatcher;
import dev.postoffice.model.Layer;

/**
 * One stage of a route: which layer's entries it works on, what it does with them, and the name and
 * version recorded on what it produces.
 *
 * @param name the stage's name, such as {@code "translate"}
 * @param input the layer whose entries it claims
 * @param output the layer it writes, or null for an edge stage that finishes entries in place
 * @param version the version recorded on its outputs
 * @param transform the work, for a transform stage
 * @param destination the Core App queue, for the publish stage
 * @param dispatcher the partner dispatcher, for the dispatch stage
 */
public record StageSpec(
    String name,
    Layer input,
    Layer output,
    String version,
    Transform transform,
    String destination,
    Dispatcher dispatcher) {

  /**
   * @return a label for outputs, such as {@code "translate@3"}
   */
  public String producedBy() {
    return name + "@" + version;
  }

  /**
   * Returns a transform stage.
   *
   * @param name the name
   * @param input the layer it claims
   * @param output the layer it writes
   * @param version the version recorded on outputs
   * @param transform the work
   * @return the stage
   */
  public static StageSpec transform(
      String name, Layer input, Layer output, String version, Transform transform) {
    return new StageSpec(name, input, output, version, transform, null, null);
  }

  /**
   * Returns the upstream edge stage that publishes layer-4 entries to the Core App.
   *
   * @param destination the queue
   * @return the stage
   */
  public static StageSpec publish(String destination) {
    return new StageSpec("publish", Layer.L4, null, "1", null, destination, null);
  }

  /**
   * Returns the downstream edge stage that sends layer-1 entries to the partner.
   *
   * @param dispatcher the dispatcher
   * @param version the dispatcher's version
   * @return the stage
   */
  public static StageSpec dispatch(Dispatcher dispatcher, String version) {
    return new StageSpec("dispatch", Layer.L1, null, version, null, null, dispatcher);
  }
}
