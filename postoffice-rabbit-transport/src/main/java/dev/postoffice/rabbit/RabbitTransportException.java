package dev.postoffice.rabbit;

import dev.postoffice.PostOfficeException;

/**
 * Thrown (or used to fail a publish future) when the RabbitMQ transport cannot do what was asked:
 * the broker is unreachable, refused a login, lacks a queue the host should have declared, or did
 * not confirm a publish.
 */
public class RabbitTransportException extends PostOfficeException {
  private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, and where possible how to fix it
   */
  public RabbitTransportException(String message) {
    super(message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what failed, and where possible how to fix it
   * @param cause the client library's error
   */
  public RabbitTransportException(String message, Throwable cause) {
    super(message, cause);
  }
}
