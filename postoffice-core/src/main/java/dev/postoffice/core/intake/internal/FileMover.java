package dev.postoffice.core.intake.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Moves taken files to {@code done/} or {@code failed/}, never over an earlier file of the same
 * name, and writes {@code <name>.reason.txt} into {@code failed/}. The reason is written before the
 * move, so a crash in between leaves the file in place to be taken (and explained) again.
 */
public final class FileMover {
  /** The suffix of reason files. */
  public static final String REASON_SUFFIX = ".reason.txt";

  private final Path done;
  private final Path failed;

  /**
   * Creates a mover.
   *
   * @param done the done directory
   * @param failed the failed directory
   */
  public FileMover(Path done, Path failed) {
    this.done = done;
    this.failed = failed;
  }

  /**
   * Formats reasons by line number, one per line ({@code line 0} is the whole file).
   *
   * @param bad the reasons
   * @return the text
   */
  public static String lines(Map<Integer, String> bad) {
    if (bad.isEmpty()) {
      return "file holds no records";
    }
    return bad.entrySet().stream()
        .map(e -> e.getKey() == 0 ? e.getValue() : "line " + e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining("\n"));
  }

  /**
   * Moves a processed file to {@code done/}; lists its rejected lines, if any, in {@code failed/}.
   *
   * @param file the file
   * @param bad the lines not taken
   * @return where it went
   * @throws IOException if the move fails
   */
  public Path done(Path file, Map<Integer, String> bad) throws IOException {
    Path target = free(done, file.getFileName().toString());
    if (!bad.isEmpty()) {
      Path reason = failed.resolve(target.getFileName() + REASON_SUFFIX);
      Files.writeString(
          reason,
          bad.size()
              + " record(s) rejected; the others were taken (file in "
              + done.getFileName()
              + "/)\n"
              + lines(bad)
              + "\n",
          StandardCharsets.UTF_8);
    }
    return move(file, target);
  }

  /**
   * Moves an unusable file to {@code failed/} with its reason beside it.
   *
   * @param file the file
   * @param reason why it was not taken
   * @return where it went
   * @throws IOException if the move fails
   */
  public Path failed(Path file, String reason) throws IOException {
    Path target = free(failed, file.getFileName().toString());
    Files.writeString(
        failed.resolve(target.getFileName() + REASON_SUFFIX),
        reason + "\n",
        StandardCharsets.UTF_8);
    return move(file, target);
  }

  private static Path free(Path dir, String name) {
    Path target = dir.resolve(name);
    for (int n = 1;
        Files.exists(target) || Files.exists(dir.resolve(target.getFileName() + REASON_SUFFIX));
        n++) {
      target = dir.resolve(name + "." + n);
    }
    return target;
  }

  private static Path move(Path file, Path target) throws IOException {
    try {
      return Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      return Files.move(file, target);
    }
  }
}
