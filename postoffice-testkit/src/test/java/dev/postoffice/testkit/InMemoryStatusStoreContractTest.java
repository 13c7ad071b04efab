package dev.postoffice.testkit;

import dev.postoffice.core.memory.InMemoryStatusStore;
import dev.postoffice.spi.StatusStore;
import dev.postoffice.testkit.store.StatusStoreContract;

/** Runs the {@link StatusStoreContract} against the reference {@link InMemoryStatusStore}. */
class InMemoryStatusStoreContractTest extends StatusStoreContract {
  @Override
  protected StatusStore createStore() {
    return InMemoryStatusStore.create();
  }
}
