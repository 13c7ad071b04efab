package dev.postoffice.core;

import dev.postoffice.Dispatcher;
import dev.postoffice.RequestNormalizer;
import dev.postoffice.Translator;
import dev.postoffice.core.internal.route.StageSpec;
import dev.postoffice.core.internal.route.Transforms;
import dev.postoffice.model.Direction;
import dev.postoffice.model.Layer;
import java.util.ArrayList;
import java.util.List;

/**
 * Describes a downstream route step by step: Core App queue (L4), translator (L3), request
 * normalizer (L2), dispatcher (L1). Each step is typed by the previous one's output. Start with
 * {@link Route#downstream(String)}. Not thread-safe.
 */
public final class DownstreamRouteBuilder {
  private final String name;

  DownstreamRouteBuilder(String name) {
    this.name = name;
  }

  /**
   * Sets the Core App queue this route consumes and the core message type on it.
   *
   * @param destination the queue name
   * @param coreType the core message's class
   * @param <C> the core message
   * @return the next step
   */
  public <C> Consuming<C> consumeFrom(String destination, Class<C> coreType) {
    List<String> errors = new ArrayList<>();
    RouteBuilder.checkDestination(errors, name, "L4", destination);
    RouteBuilder.checkNotNull(errors, name, "L4", coreType, "core type");
    return new Consuming<>(name, errors, destination, coreType);
  }

  /**
   * The step after the source queue.
   *
   * @param <C> the core message
   */
  public static final class Consuming<C> {
    private final String name;
    private final List<String> errors;
    private final String destination;
    private final Class<C> coreType;

    Consuming(String name, List<String> errors, String destination, Class<C> coreType) {
      this.name = name;
      this.errors = errors;
      this.destination = destination;
      this.coreType = coreType;
    }

    /**
     * Sets the layer-3 translator: core message to 0..n partner models.
     *
     * @param partnerType the partner model's class
     * @param translator the translator
     * @param <P> the partner model
     * @return the next step
     */
    public <P> Translated<C, P> translate(
        Class<P> partnerType, Translator<? super C, ? extends P> translator) {
      List<String> all = new ArrayList<>(errors);
      RouteBuilder.checkNotNull(all, name, "L3", partnerType, "partner type");
      RouteBuilder.checkNotNull(all, name, "L3", translator, "translator");
      return new Translated<>(this, all, partnerType, translator);
    }
  }

  /**
   * The step after the translator.
   *
   * @param <C> the core message
   * @param <P> the partner model
   */
  public static final class Translated<C, P> {
    private final Consuming<C> consuming;
    private final List<String> errors;
    private final Class<P> partnerType;
    private final Translator<? super C, ? extends P> translator;

    Translated(
        Consuming<C> consuming,
        List<String> errors,
        Class<P> partnerType,
        Translator<? super C, ? extends P> translator) {
      this.consuming = consuming;
      this.errors = errors;
      this.partnerType = partnerType;
      this.translator = translator;
    }

    /**
     * Sets the layer-2 normalizer: partner model to a request in the partner's API signature.
     *
     * @param normalizer the request normalizer
     * @return the next step
     */
    public Normalized<C, P> normalize(RequestNormalizer<? super P> normalizer) {
      List<String> all = new ArrayList<>(errors);
      RouteBuilder.checkNotNull(all, consuming.name, "L2", normalizer, "request normalizer");
      return new Normalized<>(this, all, normalizer);
    }
  }

  /**
   * The step after the request normalizer.
   *
   * @param <C> the core message
   * @param <P> the partner model
   */
  public static final class Normalized<C, P> {
    private final Translated<C, P> translated;
    private final List<String> errors;
    private final RequestNormalizer<? super P> normalizer;

    Normalized(
        Translated<C, P> translated, List<String> errors, RequestNormalizer<? super P> normalizer) {
      this.translated = translated;
      this.errors = errors;
      this.normalizer = normalizer;
    }

    /**
     * Sets the layer-1 dispatcher that sends requests to the partner.
     *
     * @param dispatcher the dispatcher
     * @return the last step: settings and versions
     */
    public RouteBuilder dispatchWith(Dispatcher dispatcher) {
      Consuming<C> consuming = translated.consuming;
      List<String> all = new ArrayList<>(errors);
      RouteBuilder.checkNotNull(all, consuming.name, "L1", dispatcher, "dispatcher");
      return new RouteBuilder(
          consuming.name,
          Direction.DOWNSTREAM,
          all,
          (id, codec, versions) ->
              List.of(
                  StageSpec.transform(
                      "translate",
                      Layer.L4,
                      Layer.L3,
                      versions.translator(),
                      Transforms.translate(
                          id,
                          "L3",
                          consuming.coreType,
                          translated.partnerType,
                          translated.translator,
                          codec)),
                  StageSpec.transform(
                      "normalize",
                      Layer.L3,
                      Layer.L2,
                      versions.normalizer(),
                      Transforms.request(id, translated.partnerType, normalizer, codec)),
                  StageSpec.transform("hand-off", Layer.L2, Layer.L1, "1", Transforms.handOff()),
                  StageSpec.dispatch(dispatcher, versions.dispatcher())),
          consuming.destination);
    }
  }
}
