package dev.postoffice.core;

import dev.postoffice.Normalizer;
import dev.postoffice.Translator;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.core.internal.route.Transforms;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes an upstream route step by step: normalizer (L2), translator (L3), Core App queue (L4).
 * Each step returns the next, typed by the previous step's output, so a translator that does not
 * take the normalizer's model does not compile. Start with {@link Route#upstream(String)}. Not
 * thread-safe.
 */
public final class UpstreamRouteBuilder {
  private final String name;

  UpstreamRouteBuilder(String name) {
    this.name = name;
  }

  /**
   * Sets the layer-2 normalizer: raw partner bytes to the partner's typed model.
   *
   * @param type the partner model's class (its outputs are stored as JSON through the pipeline's
   *     codec)
   * @param normalizer the normalizer
   * @param <P> the partner model
   * @return the next step
   */
  public <P> Normalized<P> normalize(Class<P> type, Normalizer<P> normalizer) {
    List<String> errors = new ArrayList<>();
    RouteBuilder.checkNotNull(errors, name, "L2", type, "normalized type");
    RouteBuilder.checkNotNull(errors, name, "L2", normalizer, "normalizer");
    return new Normalized<>(name, errors, type, normalizer);
  }

  /**
   * The step after the normalizer.
   *
   * @param <P> the partner model
   */
  public static final class Normalized<P> {
    private final String name;
    private final List<String> errors;
    private final Class<P> type;
    private final Normalizer<P> normalizer;

    Normalized(String name, List<String> errors, Class<P> type, Normalizer<P> normalizer) {
      this.name = name;
      this.errors = errors;
      this.type = type;
      this.normalizer = normalizer;
    }

    /**
     * Sets the layer-3 translator: partner model to 0..n core messages.
     *
     * @param coreType the core message's class
     * @param translator the translator
     * @param <C> the core message
     * @return the next step
     */
    public <C> Translated<P, C> translate(
        Class<C> coreType, Translator<? super P, ? extends C> translator) {
      List<String> all = new ArrayList<>(errors);
      RouteBuilder.checkNotNull(all, name, "L3", coreType, "core type");
      RouteBuilder.checkNotNull(all, name, "L3", translator, "translator");
      return new Translated<>(this, all, coreType, translator);
    }
  }

  /**
   * The step after the translator.
   *
   * @param <P> the partner model
   * @param <C> the core message
   */
  public static final class Translated<P, C> {
    private final Normalized<P> normalized;
    private final List<String> errors;
    private final Class<C> coreType;
    private final Translator<? super P, ? extends C> translator;

    Translated(
        Normalized<P> normalized,
        List<String> errors,
        Class<C> coreType,
        Translator<? super P, ? extends C> translator) {
      this.normalized = normalized;
      this.errors = errors;
      this.coreType = coreType;
      this.translator = translator;
    }

    /**
     * Sets the Core App queue that layer 4 publishes the core messages to.
     *
     * @param destination the queue name
     * @return the last step: settings and versions
     */
    public RouteBuilder publishTo(String destination) {
      List<String> all = new ArrayList<>(errors);
      String name = normalized.name;
      RouteBuilder.checkDestination(all, name, "L4", destination);
      return new RouteBuilder(
          name,
          Direction.UPSTREAM,
          all,
          (id, codec, versions) ->
              List.of(
                  StageSpec.transform(
                      "normalize",
                      Layer.L1,
                      Layer.L2,
                      versions.normalizer(),
                      Transforms.normalize(id, normalized.type, normalized.normalizer, codec)),
                  StageSpec.transform(
                      "translate",
                      Layer.L2,
                      Layer.L3,
                      versions.translator(),
                      Transforms.translate(id, "L3", normalized.type, coreType, translator, codec)),
                  StageSpec.transform("hand-off", Layer.L3, Layer.L4, "1", Transforms.handOff()),
                  StageSpec.publish(destination)),
          null);
    }
  }
}
