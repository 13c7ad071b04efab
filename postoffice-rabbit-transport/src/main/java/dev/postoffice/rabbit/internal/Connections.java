package dev.postoffice.rabbit.internal;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.rabbit.RabbitTransportException;
import dev.postoffice.rabbit.RabbitTransportSettings;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/** Opens connections from settings, with automatic connection and topology recovery. */
public final class Connections {
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final ConnectionFactory factory = new ConnectionFactory();
  private final RabbitTransportSettings settings;

  /**
   * Creates a connection factory for the settings.
   *
   * @param settings the settings
   */
  public Connections(RabbitTransportSettings settings) {
    this.settings = settings;
    factory.setHost(settings.host());
    factory.setPort(settings.port());
    factory.setVirtualHost(settings.virtualHost());
    factory.setUsername(settings.username());
    factory.setPassword(settings.password());
    factory.setConnectionTimeout(CONNECT_TIMEOUT_MILLIS);
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(settings.recoveryInterval().toMillis());
    if (settings.tls()) {
      try {
        factory.useSslProtocol(
            settings.sslContext() != null ? settings.sslContext() : SSLContext.getDefault());
      } catch (NoSuchAlgorithmException e) {
        throw new RabbitTransportException("TLS is on but the JVM has no default SSLContext", e);
      }
      factory.enableHostnameVerification();
    }
  }

  /**
   * Opens a recovering connection.
   *
   * @param role appended to the connection name, such as {@code publish}
   * @return the connection
   * @throws RabbitTransportException if the broker cannot be reached or refuses the login
   */
  public Connection open(String role) {
    try {
      return factory.newConnection(settings.connectionName() + "-" + role);
    } catch (IOException | TimeoutException e) {
      // Never put the password in the message: only user, host, port and virtual host.
      throw new RabbitTransportException(
          "could not connect to RabbitMQ at "
              + (settings.tls() ? "amqps" : "amqp")
              + "://"
              + settings.username()
              + "@"
              + settings.host()
              + ":"
              + settings.port()
              + " virtual host '"
              + settings.virtualHost()
              + "': "
              + describe(e)
              + " [Hint: check host, port, credentials, that the"
              + " virtual host exists, and TLS]",
          e);
    }
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      sb.append("; caused by ").append(t);
    }
    return sb.toString();
  }
}
