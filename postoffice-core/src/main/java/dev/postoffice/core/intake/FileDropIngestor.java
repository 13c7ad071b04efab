package dev.postoffice.core.intake;

import dev.postoffice.Ingestor;
import dev.postoffice.Intake;
import dev.postoffice.core.intake.internal.DroppedFile;
import dev.postoffice.core.intake.internal.FileMover;
import dev.postoffice.core.intake.internal.FileSubmitter;
import dev.postoffice.core.internal.Require;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes files a partner drops into a directory. A file is complete once its size and modification
 * time have not changed for the settle time (measured on the injected clock); writers that write
 * under a temporary name ({@code .tmp}, {@code .part}, or a leading dot, all ignored) and rename
 * into place can use a settle time of zero. Each file becomes one entry, or one entry per line of
 * {@code .jsonl}/{@code .ndjson} and per row of {@code .csv} (the header row names the fields of a
 * JSON object per row). Dedup keys derive from the file name and content SHA-256 (plus the line
 * number), so a file taken again after a crash gives {@code DUPLICATE} entries, not second ones.
 *
 * <p>A file moves to {@code done/} only after intake returned, so a crash never loses one. An
 * unusable file (empty, malformed JSON, no CSV header, too big) moves to {@code failed/} with
 * {@code <name>.reason.txt} beside it. Bad lines of a line file are listed, with their line
 * numbers, in {@code failed/<name>.reason.txt} while the file's good lines go through and the file
 * moves to {@code done/}. A full backlog or an unavailable store leaves the file in place for the
 * next scan.
 *
 * <p>A {@link WatchService} triggers scans at once; a periodic scan is the fallback (and the only
 * mechanism on file systems without watch support). Thread-safe.
 */
public final class FileDropIngestor implements Ingestor {
  /** How long a file must stay unchanged before it is taken, unless set. */
  public static final Duration DEFAULT_SETTLE_TIME = Duration.ofSeconds(2);

  /** The time between fallback scans, unless set. */
  public static final Duration DEFAULT_SCAN_INTERVAL = Duration.ofSeconds(5);

  /** The largest file taken, unless set: 64 MiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;

  /** Messages stored per intake transaction for line files, unless set. */
  public static final int DEFAULT_BATCH_SIZE = 500;

  /** The subdirectory processed files move to. */
  public static final String DONE = "done";

  /** The subdirectory unusable files move to, with their reasons. */
  public static final String FAILED = "failed";

  private static final Logger log = LoggerFactory.getLogger(FileDropIngestor.class);

  private final Path directory;
  private final Duration settleTime;
  private final Duration scanInterval;
  private final long maxFileBytes;
  private final int batchSize;
  private final Clock clock;
  private final boolean scheduled;
  private final Map<Path, Seen> seen = new HashMap<>();
  private volatile Intake intake;
  private volatile boolean closed;
  private volatile WatchService watcher;
  private Thread thread;

  private record Seen(long size, long modified, Instant since) {}

  private FileDropIngestor(Builder b) {
    this.directory = b.directory;
    this.settleTime = b.settleTime;
    this.scanInterval = b.scanInterval;
    this.maxFileBytes = b.maxFileBytes;
    this.batchSize = b.batchSize;
    this.clock = b.clock;
    this.scheduled = b.scheduled;
  }

  /**
   * Starts describing an ingestor for a directory.
   *
   * @param directory the drop directory (created if missing, with its {@code done/} and {@code
   *     failed/})
   * @return a new builder
   */
  public static Builder builder(Path directory) {
    return new Builder(Require.nonNull(directory, "directory"));
  }

  /**
   * Creates the directories and starts watching (unless built with {@link
   * Builder#manualScanning()}).
   *
   * @throws UncheckedIOException if the directories cannot be created
   */
  @Override
  public synchronized void start(Intake intake) {
    this.intake = Require.nonNull(intake, "intake");
    try {
      Files.createDirectories(directory.resolve(DONE));
      Files.createDirectories(directory.resolve(FAILED));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the drop directory " + directory, e);
    }
    if (!scheduled) {
      return;
    }
    try {
      watcher = directory.getFileSystem().newWatchService();
      directory.register(
          watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
    } catch (IOException | UnsupportedOperationException e) {
      log.info("no watch service for {}; scanning every {} ms", directory, scanInterval.toMillis());
      watcher = null;
    }
    thread = new Thread(this::watch, "postoffice-filedrop-" + intake.route());
    thread.setDaemon(true);
    thread.start();
  }

  /** Stops watching; a file in progress is finished. */
  @Override
  public void close() {
    closed = true;
    WatchService w = watcher;
    if (w != null) {
      try {
        w.close();
      } catch (IOException e) {
        log.debug("closing the watch service of {} failed: {}", directory, e.toString());
      }
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  private void watch() {
    long wait =
        settleTime.isZero()
            ? scanInterval.toMillis()
            : Math.min(scanInterval.toMillis(), Math.max(1, settleTime.toMillis()));
    while (!closed) {
      try {
        scanOnce();
        WatchService w = watcher;
        if (w == null) {
          Thread.sleep(wait);
        } else {
          WatchKey key = w.poll(wait, TimeUnit.MILLISECONDS);
          if (key != null) {
            key.pollEvents();
            key.reset();
          }
        }
      } catch (InterruptedException | ClosedWatchServiceException e) {
        return;
      } catch (RuntimeException e) {
        log.warn("scan of {} failed: {}", directory, e.toString());
      }
    }
  }

  /**
   * Scans the directory once on the calling thread and takes every complete file; for tests and
   * hosts that schedule scans themselves.
   *
   * @return how many files were taken (moved to {@code done/} or {@code failed/})
   * @throws IllegalStateException if the ingestor was not started
   */
  public synchronized int scanOnce() {
    if (intake == null) {
      throw new IllegalStateException(
          "the file-drop ingestor is not started [Hint: register it with"
              + " PipelineBuilder.ingestor(route, ingestor) and start the pipeline, or call start(intake)]");
    }
    Instant now = clock.instant();
    List<Path> ready = new ArrayList<>();
    Map<Path, Seen> still = new HashMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        if (name.startsWith(".") || name.endsWith(".tmp") || name.endsWith(".part")) {
          continue;
        }
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        if (!attrs.isRegularFile()) {
          continue;
        }
        Seen before = seen.get(file);
        Seen current = new Seen(attrs.size(), attrs.lastModifiedTime().toMillis(), now);
        if (before != null
            && before.size() == current.size()
            && before.modified() == current.modified()) {
          current = before;
        }
        if (!now.isBefore(current.since().plus(settleTime))) {
          ready.add(file);
        } else {
          still.put(file, current);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the drop directory " + directory, e);
    }
    seen.clear();
    seen.putAll(still);
    int taken = 0;
    ready.sort(null);
    FileSubmitter submitter = new FileSubmitter(intake, batchSize);
    FileMover mover = new FileMover(directory.resolve(DONE), directory.resolve(FAILED));
    for (Path file : ready) {
      if (take(file, submitter, mover)) {
        taken++;
      }
    }
    return taken;
  }

  private boolean take(Path file, FileSubmitter submitter, FileMover mover) {
    String name = file.getFileName().toString();
    try {
      long size = Files.size(file);
      if (size > maxFileBytes) {
        mover.failed(
            file, "file of " + size + " bytes is over the limit of " + maxFileBytes + " bytes");
        return true;
      }
      DroppedFile.Parsed parsed;
      try {
        parsed = DroppedFile.parse(name, Files.readAllBytes(file));
      } catch (IllegalArgumentException e) {
        mover.failed(file, e.getMessage());
        return true;
      }
      FileSubmitter.Result result = submitter.submit(parsed);
      if (result.stored() == 0) {
        mover.failed(file, FileMover.lines(result.bad()));
      } else {
        mover.done(file, result.bad());
      }
      return true;
    } catch (FileSubmitter.NotNowException e) {
      log.info("file {} left in {} for the next scan: {}", name, directory, e.getMessage());
      return false;
    } catch (IOException e) {
      log.warn(
          "file {} in {} could not be taken; trying again at the next scan: {}",
          name,
          directory,
          e.toString());
      return false;
    }
  }

  @Override
  public String toString() {
    return "FileDropIngestor[" + directory + "]";
  }

  /** Builds a {@link FileDropIngestor}. Not thread-safe; each setter checks its value. */
  public static final class Builder {
    private final Path directory;
    private Duration settleTime = DEFAULT_SETTLE_TIME;
    private Duration scanInterval = DEFAULT_SCAN_INTERVAL;
    private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private Clock clock = Clock.systemUTC();
    private boolean scheduled = true;

    private Builder(Path directory) {
      this.directory = directory;
    }

    /**
     * Sets how long a file must stay unchanged (size and modification time) before it is taken.
     *
     * @param value 0 (writers rename into place) to 1 h; default 2 s
     * @return this builder
     */
    public Builder settleTime(Duration value) {
      settleTime = Require.between(value, Duration.ZERO, Duration.ofHours(1), "settleTime");
      return this;
    }

    /**
     * Sets the time between fallback scans.
     *
     * @param value 10 ms to 1 h; default 5 s
     * @return this builder
     */
    public Builder scanInterval(Duration value) {
      scanInterval =
          Require.between(value, Duration.ofMillis(10), Duration.ofHours(1), "scanInterval");
      return this;
    }

    /**
     * Sets the largest file taken; bigger ones go to {@code failed/} unread.
     *
     * @param value 1 byte to 1 GiB; default 64 MiB
     * @return this builder
     */
    public Builder maxFileBytes(long value) {
      maxFileBytes = Require.between(value, 1, 1L << 30, "maxFileBytes");
      return this;
    }

    /**
     * Sets how many messages of a line file are stored per intake transaction.
     *
     * @param value 1 to 10000; default {@value #DEFAULT_BATCH_SIZE}
     * @return this builder
     */
    public Builder batchSize(int value) {
      batchSize = Require.between(value, 1, 10_000, "batchSize");
      return this;
    }

    /**
     * Sets the clock the settle time is measured on.
     *
     * @param value the clock; default {@link Clock#systemUTC()}
     * @return this builder
     */
    public Builder clock(Clock value) {
      clock = Require.nonNull(value, "clock");
      return this;
    }

    /**
     * Scans only when {@link FileDropIngestor#scanOnce()} is called: no watcher thread. For
     * deterministic tests; off by default.
     *
     * @return this builder
     */
    public Builder manualScanning() {
      scheduled = false;
      return this;
    }

    /**
     * Builds the ingestor (started by the pipeline).
     *
     * @return the ingestor
     */
    public FileDropIngestor build() {
      return new FileDropIngestor(this);
    }
  }
}
