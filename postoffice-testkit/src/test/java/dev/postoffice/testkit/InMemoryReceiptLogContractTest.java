package dev.postoffice.testkit;

import dev.postoffice.coreapp.InMemoryReceiptLog;
import dev.postoffice.spi.ReceiptLog;

/** Runs the {@link ReceiptLogContract} against the reference {@link InMemoryReceiptLog}. */
class InMemoryReceiptLogContractTest extends ReceiptLogContract {
  @Override
  protected ReceiptLog createLog() {
    return InMemoryReceiptLog.create();
  }
}
