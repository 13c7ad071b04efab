package dev.postoffice.core.intake.internal;

import dev.postoffice.BacklogFullException;
import dev.postoffice.Intake;
import dev.postoffice.IntakeReceipt;
import dev.postoffice.RawMessage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Stores the messages of a dropped file in batches, collecting the lines intake rejects. */
public final class FileSubmitter {
  /** The store cannot take the file now (backlog full, store down): leave it for the next scan. */
  public static final class NotNowException extends Exception {
    private static final long serialVersionUID = 1L;

    NotNowException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * What was stored.
   *
   * @param stored messages stored (duplicates included)
   * @param bad reasons by line number (0 for the whole file), parse errors included
   */
  public record Result(int stored, Map<Integer, String> bad) {}

  private final Intake intake;
  private final int batchSize;

  /**
   * Creates a submitter.
   *
   * @param intake the route's intake
   * @param batchSize messages per transaction
   */
  public FileSubmitter(Intake intake, int batchSize) {
    this.intake = intake;
    this.batchSize = batchSize;
  }

  /**
   * Stores a parsed file.
   *
   * @param parsed the messages and bad lines
   * @return what was stored, with every bad line
   * @throws NotNowException if the store refused for now; batches already stored become duplicates
   *     next time
   */
  public Result submit(DroppedFile.Parsed parsed) throws NotNowException {
    Map<Integer, String> bad = new TreeMap<>(parsed.badLines());
    List<RawMessage> messages = parsed.messages();
    int stored = 0;
    for (int from = 0; from < messages.size(); from += batchSize) {
      List<RawMessage> chunk = messages.subList(from, Math.min(messages.size(), from + batchSize));
      try {
        List<IntakeReceipt> receipts = intake.submitAll(chunk);
        for (int i = 0; i < receipts.size(); i++) {
          if (receipts.get(i).isRejected()) {
            bad.put(line(chunk.get(i)), receipts.get(i).rejectedReason());
          } else {
            stored++;
          }
        }
      } catch (RuntimeException e) {
        throw notNow(e);
      }
    }
    return new Result(stored, bad);
  }

  private static NotNowException notNow(RuntimeException e) {
    return new NotNowException(
        e instanceof BacklogFullException ? e.getMessage() : "not stored: " + e, e);
  }

  private static int line(RawMessage message) {
    String line = message.headers().get(DroppedFile.LINE_HEADER);
    return line == null ? 0 : Integer.parseInt(line);
  }
}
