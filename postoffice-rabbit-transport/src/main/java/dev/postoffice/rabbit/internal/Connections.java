package dev.postoffice.rabbit.internal;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.postoffice.rabbit.RabbitTransportException;
import dev.postoffice.rabbit.RabbitTransportSettings;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;

/**
 * Opens connections from settings, or from a copy of a host's connection factory, with automatic
 * connection and topology recovery.
 */
public final class Connections {
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final ConnectionFactory factory;
  private final RabbitTransportSettings settings;

  /**
   * Uses a copy of the host's connection factory: its address, credentials, virtual host, TLS and
   * timeouts. The copy, not the host's factory, gets automatic and topology recovery (which the
   * transport relies on; Spring AMQP, for one, switches it off on the factory it wraps), so the
   * host's own connections are not changed.
   *
   * @param hostFactory the host's factory; it is copied, not kept
   * @param settings the settings (recovery interval and connection name; their address, credentials
   *     and TLS are not used)
   */
  public Connections(ConnectionFactory hostFactory, RabbitTransportSettings settings) {
    this.settings = settings;
    this.factory = hostFactory.clone();
    factory.setAutomaticRecoveryEnabled(true);
    factory.setTopologyRecoveryEnabled(true);
    factory.setNetworkRecoveryInterval(settings.recoveryInterval().toMillis());
  }

  /**
   * Creates a connection factory for the settings.
   *
   * @param settings the settings
   */
  public Connections(RabbitTransportSettings settings) {
    this.settings = settings;
    this.factory = new ConnectionFactory();
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
              + target()
              + ": "
              + describe(e)
              + " [Hint: check host, port, credentials, that the"
              + " virtual host exists, and TLS]",
          e);
    }
  }

  /**
   * Returns where connections go, for messages: scheme, user, host, port and virtual host, never
   * the password.
   *
   * @return such as {@code amqp://guest@127.0.0.1:5672 virtual host '/'}
   */
  public String target() {
    return (factory.isSSL() ? "amqps" : "amqp")
        + "://"
        + factory.getUsername()
        + "@"
        + factory.getHost()
        + ":"
        + factory.getPort()
        + " virtual host '"
        + factory.getVirtualHost()
        + "'";
  }

  private static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(e.toString());
    for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
      sb.append("; caused by ").append(t);
    }
    return sb.toString();
  }
}
