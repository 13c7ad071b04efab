package dev.postoffice.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Starts {@link NodeMain} processes on the test classpath and kills them with SIGKILL. Every
 * process started is killed by {@link #close()}, and by a shutdown hook if the test JVM ends
 * another way; the processes also exit when their standard input (a pipe from this JVM) closes.
 */
final class NodeProcesses implements AutoCloseable {
  private final Path dir;
  private final List<String> common;
  private final List<Process> all = new CopyOnWriteArrayList<>();
  private final Thread hook = new Thread(this::killAll, "reliability-kill-children");

  NodeProcesses(Path dir, List<String> common) {
    this.dir = dir;
    this.common = List.copyOf(common);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** A running process and what it announced. */
  record Started(String id, Process process, int port) {}

  /**
   * Starts a process and waits until it is ready.
   *
   * @param role {@code node} or {@code receiver}
   * @param id its unique id (also its node id)
   * @return the process, and its webhook port (nodes) or 0
   */
  Started start(String role, String id, Duration patience) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        new ArrayList<>(
            List.of(
                java,
                "-Xmx160m",
                "-Xss512k",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                NodeMain.class.getName(),
                "role=" + role,
                "id=" + id,
                "dir=" + dir));
    command.addAll(common);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(id + ".log").toFile())
            .start();
    all.add(process);
    Path ready = dir.resolve(id + ".ready");
    Await.until(
        patience,
        id + " is ready",
        () -> Files.exists(ready) || !process.isAlive(),
        () -> "alive=" + process.isAlive());
    if (!process.isAlive()) {
      throw new IllegalStateException(
          id + " exited with " + process.exitValue() + "; see " + dir.resolve(id + ".log"));
    }
    Path port = dir.resolve(id + ".port");
    int p =
        Files.exists(port)
            ? Integer.parseInt(Files.readString(port, StandardCharsets.UTF_8).trim())
            : 0;
    return new Started(id, process, p);
  }

  /** Kills a process with SIGKILL and waits until it is gone. */
  static void kill(Process process) throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  private void killAll() {
    for (Process p : all) {
      p.destroyForcibly();
    }
    for (Process p : all) {
      try {
        p.waitFor();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook runs anyway.
    }
  }
}
