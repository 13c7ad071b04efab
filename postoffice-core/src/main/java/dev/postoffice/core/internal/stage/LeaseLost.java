package dev.postoffice.core.internal.stage;

/**
 * The outcome's cause when a stage skipped an external call because its lease on the entry was lost
 * (another node claimed the entry after the lease expired, or its status moved on). The stage
 * commits nothing for such an entry: the newer work stands. No stack trace: it is an expected
 * event, not an error.
 */
public final class LeaseLost extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LeaseLost(String message) {
    super(message, null, false, false);
  }
}
