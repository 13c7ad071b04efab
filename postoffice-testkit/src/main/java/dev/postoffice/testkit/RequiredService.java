package dev.postoffice.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Skips a test visibly when a service it needs (PostgreSQL, MariaDB, RabbitMQ) is not reachable, or
 * fails it when the environment demands services: {@code POSTOFFICE_REQUIRE_SERVICES=true} (as
 * {@code .ci/run} sets) or the system property {@value #REQUIRE_PROPERTY}{@code =true}.
 *
 * <pre>{@code
 * @BeforeAll
 * static void needsPostgres() {
 *   RequiredService.assumeReachable("PostgreSQL", "127.0.0.1", 5432);
 * }
 * }</pre>
 */
public final class RequiredService {
  /** System property that turns a missing service into a failure. */
  public static final String REQUIRE_PROPERTY = "postoffice.requireServices";

  /** Environment variable that turns a missing service into a failure. */
  public static final String REQUIRE_ENV = "POSTOFFICE_REQUIRE_SERVICES";

  private static final int CONNECT_TIMEOUT_MILLIS = 2000;

  private RequiredService() {}

  /**
   * Tells whether missing services must fail tests rather than skip them.
   *
   * @return true if the switch is set
   */
  public static boolean required() {
    return "true".equalsIgnoreCase(System.getProperty(REQUIRE_PROPERTY))
        || "true".equalsIgnoreCase(System.getenv(REQUIRE_ENV));
  }

  /**
   * Skips (or, with the switch set, fails) the calling test unless a TCP connection to the service
   * opens.
   *
   * @param name the service, for the message
   * @param host its host
   * @param port its port
   */
  public static void assumeReachable(String name, String host, int port) {
    String problem = probe(host, port);
    if (problem == null) {
      return;
    }
    String message = name + " is not reachable at " + host + ":" + port + " (" + problem + ")";
    if (required()) {
      Assertions.fail(message + ", and " + REQUIRE_ENV + "=true demands it");
    }
    Assumptions.assumeTrue(
        false, message + "; skipping. Set " + REQUIRE_ENV + "=true to fail instead.");
  }

  private static String probe(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
      return null;
    } catch (IOException e) {
      return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
  }
}
