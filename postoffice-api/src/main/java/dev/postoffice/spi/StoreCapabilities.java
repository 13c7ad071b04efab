package dev.postoffice.spi;

/**
 * What a store can promise. The contract suite skips, with a message, the tests of what a store
 * declares it cannot do; the engine refuses a multi-node setup on a store that is not shared.
 *
 * <p>Stores build it with {@link #builder()} (or start from {@link #none()}), not with the
 * canonical constructor: a later version may add a capability, and the builder keeps a store that
 * does not know of it compiling, with the new capability declared as not supported.
 *
 * @param durable whether committed data survives a restart of the process
 * @param sharedAcrossNodes whether several engine instances (processes) can use it at once
 * @param skipLocked whether concurrent claimers skip each other's rows instead of waiting
 * @param operatorApi whether the store implements the operator methods of {@link StatusStore}:
 *     {@link StatusStore#search search}, {@link StatusStore#findByDedupKey findByDedupKey}, route
 *     pauses and replay jobs (a store without them throws {@link UnsupportedOperationException}
 *     there)
 */
public record StoreCapabilities(
    boolean durable, boolean sharedAcrossNodes, boolean skipLocked, boolean operatorApi) {
  /**
   * Returns capabilities without the operator methods, as stores written before them declared.
   *
   * @param durable whether committed data survives a restart of the process
   * @param sharedAcrossNodes whether several engine instances (processes) can use it at once
   * @param skipLocked whether concurrent claimers skip each other's rows instead of waiting
   */
  public StoreCapabilities(boolean durable, boolean sharedAcrossNodes, boolean skipLocked) {
    this(durable, sharedAcrossNodes, skipLocked, false);
  }

  /**
   * Returns the capabilities of a store that promises none of them: the builder's defaults.
   *
   * @return capabilities with every flag false
   */
  public static StoreCapabilities none() {
    return builder().build();
  }

  /**
   * Returns a builder whose every capability starts as not supported.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link StoreCapabilities}; not thread-safe. Every capability defaults to not supported.
   */
  public static final class Builder {
    private boolean durable;
    private boolean sharedAcrossNodes;
    private boolean skipLocked;
    private boolean operatorApi;

    private Builder() {}

    /**
     * Sets whether committed data survives a restart of the process. Defaults to false.
     *
     * @param durable true if it does
     * @return this builder
     */
    public Builder durable(boolean durable) {
      this.durable = durable;
      return this;
    }

    /**
     * Sets whether several engine instances (processes) can use the store at once. Defaults to
     * false.
     *
     * @param sharedAcrossNodes true if they can
     * @return this builder
     */
    public Builder sharedAcrossNodes(boolean sharedAcrossNodes) {
      this.sharedAcrossNodes = sharedAcrossNodes;
      return this;
    }

    /**
     * Sets whether concurrent claimers skip each other's rows instead of waiting. Defaults to
     * false.
     *
     * @param skipLocked true if they do
     * @return this builder
     */
    public Builder skipLocked(boolean skipLocked) {
      this.skipLocked = skipLocked;
      return this;
    }

    /**
     * Sets whether the store implements the operator methods (search, dedup-key lookup, route
     * pauses, replay jobs). Defaults to false.
     *
     * @param operatorApi true if it does
     * @return this builder
     */
    public Builder operatorApi(boolean operatorApi) {
      this.operatorApi = operatorApi;
      return this;
    }

    /**
     * Returns the capabilities set so far.
     *
     * @return the capabilities
     */
    public StoreCapabilities build() {
      return new StoreCapabilities(durable, sharedAcrossNodes, skipLocked, operatorApi);
    }
  }
}
