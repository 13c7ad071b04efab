package dev.postoffice.jdbc.internal;

/**
 * An unexpected database error that retrying will not fix (a constraint the store does not expect,
 * a driver bug). It carries the driver's exception as its cause.
 */
public final class JdbcStoreFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the failure.
   *
   * @param message what failed
   * @param cause the driver's exception
   */
  public JdbcStoreFailure(String message, Throwable cause) {
    super(message, cause);
  }
}
