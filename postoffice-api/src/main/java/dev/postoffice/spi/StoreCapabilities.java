package dev.postoffice.spi;

/**
 * What a store can promise. The contract suite skips, with a message, the tests of what a store declares it
 * cannot do; the engine refuses a multi-node setup on a store that is not shared.
 *
 * @param durable whether committed data survives a restart of the process
 * @param sharedAcrossNodes whether several engine instances (processes) can use it at once
 * @param skipLocked whether concurrent claimers skip each other's rows instead of waiting
 */
public record StoreCapabilities(boolean durable, boolean sharedAcrossNodes, boolean skipLocked) {}
