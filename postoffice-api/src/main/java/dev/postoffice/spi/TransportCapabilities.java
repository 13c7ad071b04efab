package dev.postoffice.spi;

/**
 * What a transport can promise; the contract suite skips, with a message, what a transport declares
 * it cannot do.
 *
 * <p>Transports build it with {@link #builder()} (or start from {@link #none()}), not with the
 * canonical constructor: a later version may add a capability, and the builder keeps a transport
 * that does not know of it compiling, with the new capability declared as not supported.
 *
 * @param durable whether published messages survive a restart of the broker or the process
 * @param confirmsPublishes whether a completed publish means the broker has the message
 * @param deliveryCount whether {@link InboundMessage#deliveryCount()} is reported
 * @param maxMessageBytes the largest body accepted, or {@link Integer#MAX_VALUE} if unlimited
 */
public record TransportCapabilities(
    boolean durable, boolean confirmsPublishes, boolean deliveryCount, int maxMessageBytes) {

  /**
   * The {@code maxMessageBytes} of a transport that declares no limit: {@link Integer#MAX_VALUE}.
   */
  public static final int UNLIMITED_MESSAGE_BYTES = Integer.MAX_VALUE;

  /**
   * Returns the capabilities of a transport that promises none of them and declares no size limit:
   * the builder's defaults.
   *
   * @return capabilities with every flag false and {@link #UNLIMITED_MESSAGE_BYTES}
   */
  public static TransportCapabilities none() {
    return builder().build();
  }

  /**
   * Returns a builder whose every capability starts as not supported and whose size limit starts as
   * {@link #UNLIMITED_MESSAGE_BYTES}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Builds {@link TransportCapabilities}; not thread-safe. Every capability defaults to not
   * supported, the size limit to {@link #UNLIMITED_MESSAGE_BYTES}.
   */
  public static final class Builder {
    private boolean durable;
    private boolean confirmsPublishes;
    private boolean deliveryCount;
    private int maxMessageBytes = UNLIMITED_MESSAGE_BYTES;

    private Builder() {}

    /**
     * Sets whether published messages survive a restart of the broker or the process. Defaults to
     * false.
     *
     * @param durable true if they do
     * @return this builder
     */
    public Builder durable(boolean durable) {
      this.durable = durable;
      return this;
    }

    /**
     * Sets whether a completed publish means the broker has the message. Defaults to false.
     *
     * @param confirmsPublishes true if it does
     * @return this builder
     */
    public Builder confirmsPublishes(boolean confirmsPublishes) {
      this.confirmsPublishes = confirmsPublishes;
      return this;
    }

    /**
     * Sets whether {@link InboundMessage#deliveryCount()} is reported. Defaults to false.
     *
     * @param deliveryCount true if it is
     * @return this builder
     */
    public Builder deliveryCount(boolean deliveryCount) {
      this.deliveryCount = deliveryCount;
      return this;
    }

    /**
     * Sets the largest body the transport accepts. Defaults to {@link #UNLIMITED_MESSAGE_BYTES}.
     *
     * @param maxMessageBytes the limit in bytes, at least 1
     * @return this builder
     * @throws IllegalArgumentException if maxMessageBytes is below 1
     */
    public Builder maxMessageBytes(int maxMessageBytes) {
      if (maxMessageBytes < 1) {
        throw new IllegalArgumentException(
            "maxMessageBytes must be >= 1, but was " + maxMessageBytes);
      }
      this.maxMessageBytes = maxMessageBytes;
      return this;
    }

    /**
     * Returns the capabilities set so far.
     *
     * @return the capabilities
     */
    public TransportCapabilities build() {
      return new TransportCapabilities(durable, confirmsPublishes, deliveryCount, maxMessageBytes);
    }
  }
}
