package dev.postoffice.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Prints a suite's figures and appends them to {@code target/reliability-figures.txt} for the
 * report.
 */
final class Figures {
  private static final Path FILE = Path.of("target", "reliability-figures.txt");

  private Figures() {}

  /** Prints and records one line of figures. */
  static synchronized void record(String suite, String line) {
    String text =
        Instant.now() + " [" + Mode.name() + ", seed " + Mode.SEED + "] " + suite + ": " + line;
    System.out.println("FIGURES " + text);
    try {
      Files.createDirectories(FILE.getParent());
      Files.writeString(
          FILE,
          text + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      System.err.println("reliability: cannot write " + FILE + ": " + e);
    }
  }
}
