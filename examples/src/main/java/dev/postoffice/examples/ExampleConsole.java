package dev.postoffice.examples;

import dev.postoffice.admin.AdminHandler;
import dev.postoffice.admin.AdminServer;
import dev.postoffice.admin.BearerTokens;
import dev.postoffice.core.Pipeline;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.CountDownLatch;

/**
 * Serves the operator console on the example's pipeline until Ctrl-C, when the example runs with
 * {@code -Dexample.console=true} (or the argument {@code --console}):
 *
 * <pre>{@code
 * ./mvnw -q -pl examples -am package -DskipTests -Prun-example -Dexample.console=true
 * }</pre>
 *
 * It prints the console's address and an operator token made for this run ({@code
 * POSTOFFICE_CONSOLE_TOKEN} sets one instead); {@code -Dexample.console.port} sets the port
 * (default {@value #DEFAULT_PORT}).
 */
public final class ExampleConsole {
  /** The system property that turns the console on. */
  public static final String FLAG = "example.console";

  /** The port the console listens on, unless {@code -Dexample.console.port} says otherwise. */
  public static final int DEFAULT_PORT = 8081;

  private ExampleConsole() {}

  /**
   * Tells whether the console was asked for.
   *
   * @param args the example's arguments
   * @return true with {@code -Dexample.console=true} or the argument {@code --console}
   */
  public static boolean wanted(String[] args) {
    return Boolean.getBoolean(FLAG) || java.util.Arrays.asList(args).contains("--console");
  }

  /**
   * Serves the console on a pipeline until the process is interrupted (Ctrl-C).
   *
   * @param pipeline the running pipeline
   * @param out where to print the address and the token
   */
  public static void serveUntilInterrupted(Pipeline pipeline, PrintStream out) {
    String token = System.getenv("POSTOFFICE_CONSOLE_TOKEN");
    if (token == null || token.isBlank()) {
      byte[] random = new byte[24];
      new SecureRandom().nextBytes(random);
      token = HexFormat.of().formatHex(random);
    }
    int port = Integer.getInteger(FLAG + ".port", DEFAULT_PORT);
    try (AdminServer server = start(pipeline, token, port)) {
      out.println();
      out.println("Operator console: " + server.url());
      out.println("Token (operator): " + token);
      out.println("Press Ctrl-C to stop.");
      out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static AdminServer start(Pipeline pipeline, String token, int port) {
    // tag::enable-console[]
    AdminHandler console =
        AdminHandler.builder(pipeline.operations())
            .enabled(true) // off unless the host says so
            .authenticator(BearerTokens.builder().operator("on-call", token).build())
            .build();
    AdminServer server =
        AdminServer.builder(console)
            .host("127.0.0.1") // this machine only; put TLS in front to open it wider
            .port(port)
            .start(); // the page is at server.url(), http://127.0.0.1:8081/postoffice/
    // end::enable-console[]
    return server;
  }
}
