package dev.postoffice.core.internal.route;

import dev.postoffice.Normalizer;
import dev.postoffice.PartnerRequest;
import dev.postoffice.RawMessage;
import dev.postoffice.RequestNormalizer;
import dev.postoffice.Translator;
import dev.postoffice.model.Entry;
import dev.postoffice.model.RouteId;
import dev.postoffice.spi.Codec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Wraps the host's stages as engine transforms: decode the input, call the host's code, check what
 * it returned (the runtime half of the type check, naming the route and layer), encode the outputs.
 */
public final class Transforms {
  private Transforms() {}

  /**
   * Layer 2 upstream: raw bytes to the partner model.
   *
   * @param route the route, for messages
   * @param type the partner model type
   * @param normalizer the host's normalizer
   * @param codec the codec that stores the model
   * @param <P> the partner model
   * @return the transform
   */
  public static <P> Transform normalize(
      RouteId route, Class<P> type, Normalizer<P> normalizer, Codec codec) {
    return input -> {
      RawMessage raw = new RawMessage(input.payload(), input.headers(), input.dedupKey());
      P model = normalizer.normalize(raw);
      return List.of(
          new Output(codec.encode(checked(route, "L2 normalizer", type, model)), Map.of()));
    };
  }

  /**
   * Layer 3 either way: one model to zero or more models.
   *
   * @param route the route, for messages
   * @param layer the layer label, for messages
   * @param inputType the input model type
   * @param outputType the output model type
   * @param translator the host's translator
   * @param codec the codec
   * @param <I> the input model
   * @param <O> the output model
   * @return the transform
   */
  public static <I, O> Transform translate(
      RouteId route,
      String layer,
      Class<I> inputType,
      Class<O> outputType,
      Translator<? super I, ? extends O> translator,
      Codec codec) {
    return input -> {
      I model = codec.decode(input.payload(), inputType);
      List<? extends O> outputs = translator.translate(model);
      if (outputs == null) {
        throw new IllegalStateException(
            "route["
                + route
                + "] "
                + layer
                + " translator returned null; return an empty list to filter a message");
      }
      List<Output> result = new ArrayList<>(outputs.size());
      for (O output : outputs) {
        result.add(
            new Output(
                codec.encode(checked(route, layer + " translator", outputType, output)), Map.of()));
      }
      return result;
    };
  }

  /**
   * Layer 2 downstream: the partner model to a request.
   *
   * @param route the route, for messages
   * @param type the partner model type
   * @param normalizer the host's request normalizer
   * @param codec the codec
   * @param <P> the partner model
   * @return the transform
   */
  public static <P> Transform request(
      RouteId route, Class<P> type, RequestNormalizer<? super P> normalizer, Codec codec) {
    return input -> {
      P model = codec.decode(input.payload(), type);
      PartnerRequest request =
          checked(
              route, "L2 request normalizer", PartnerRequest.class, normalizer.toRequest(model));
      return List.of(new Output(StoredRequest.encode(request, codec), Map.of()));
    };
  }

  /**
   * Hands an entry to the edge layer unchanged (layer 3 to 4 upstream, 2 to 1 downstream), so the
   * edge layer has its own entry, status and id.
   *
   * @return the transform
   */
  public static Transform handOff() {
    return (Entry input) -> List.of(new Output(input.payload(), Map.of()));
  }

  private static <T> T checked(RouteId route, String stage, Class<T> type, Object value) {
    if (value == null) {
      throw new IllegalStateException("route[" + route + "] " + stage + " returned null");
    }
    if (!type.isInstance(value)) {
      throw new IllegalStateException(
          "route["
              + route
              + "] "
              + stage
              + " returned a "
              + value.getClass().getName()
              + " where the route declares "
              + type.getName());
    }
    return type.cast(value);
  }
}
