package dev.postoffice.model;

/**
 * The four layers of a route. An entry's layer is the layer that wrote it.
 *
 * <table>
 *   <caption>What each layer does</caption>
 *   <tr><th>layer</th><th>upstream</th><th>downstream</th></tr>
 *   <tr><td>L1</td><td>raw partner bytes received</td><td>partner request dispatched</td></tr>
 *   <tr><td>L2</td><td>parsed into the partner's typed model</td><td>partner model turned into a request</td></tr>
 *   <tr><td>L3</td><td>translated into a core message</td><td>core message translated into a partner model</td></tr>
 *   <tr><td>L4</td><td>published to the Core App</td><td>received from the Core App</td></tr>
 * </table>
 */
public enum Layer {
  /** Partner edge: intake upstream, dispatch downstream. */
  L1,
  /** Normalization: raw bytes to and from the partner's API signature. */
  L2,
  /** Translation: partner model to and from the core model. */
  L3,
  /** Core exchange: the Core App's queue. */
  L4;

  /**
   * Returns the layer's number, 1 to 4.
   *
   * @return the number
   */
  public int number() {
    return ordinal() + 1;
  }

  /**
   * Returns the layer with a number.
   *
   * @param number 1 to 4
   * @return the layer
   * @throws IllegalArgumentException if number is not 1 to 4
   */
  public static Layer of(int number) {
    if (number < 1 || number > 4) {
      throw new IllegalArgumentException("layer must be between 1 and 4, but was " + number);
    }
    return values()[number - 1];
  }

  /**
   * Returns the layer that works on this layer's entries next, in a direction.
   *
   * @param direction the route's direction
   * @return the next layer, or this layer for the last one (whose entries are finished in place)
   */
  public Layer next(Direction direction) {
    if (direction == Direction.UPSTREAM) {
      return this == L4 ? L4 : values()[ordinal() + 1];
    }
    return this == L1 ? L1 : values()[ordinal() - 1];
  }
}
