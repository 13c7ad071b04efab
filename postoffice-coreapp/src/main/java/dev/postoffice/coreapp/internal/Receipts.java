package dev.postoffice.coreapp.internal;

import dev.postoffice.StoreUnavailableException;
import dev.postoffice.coreapp.CoreAppReceiver;
import dev.postoffice.spi.ReceiptLog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One receiver's calls to its {@link ReceiptLog}, each through the {@link ReceiptLogHold}: while
 * the log is unreachable the delivery is held and the call made again; a read or a handling only
 * for the receiver's patience ({@link ReceiptLogHold.GaveUp}), a mark for as long as it runs.
 */
final class Receipts {
  private static final Logger log = LoggerFactory.getLogger(CoreAppReceiver.class);

  private final ReceiptLog receipts;
  private final String name;
  private final Clock clock;
  private final ReceiptLogHold hold;

  Receipts(ReceiptLog receipts, String name, Clock clock, ReceiptLogHold hold) {
    this.receipts = receipts;
    this.name = name;
    this.clock = clock;
    this.hold = hold;
  }

  /** The receiver's name in the log. */
  String name() {
    return name;
  }

  /** Which of these message ids the log has as handled, in one call. */
  Set<String> handledAmong(List<String> ids) {
    return hold.withPatience("reading", ids, () -> receipts.handledAmong(name, ids));
  }

  /** Whether the log has this message id as handled. */
  boolean isHandled(String id) {
    return hold.withPatience("reading", List.of(id), () -> receipts.isHandled(name, id));
  }

  /**
   * Asks the log once, not held: whether it answers again.
   *
   * @throws StoreUnavailableException if it is still unreachable
   */
  void probe(String id) {
    receipts.isHandled(name, id);
  }

  /** Marks one message handled. */
  void markHandled(String id) {
    Instant now = clock.instant();
    hold.untilAnswered(
        "marking",
        List.of(id),
        () -> {
          receipts.markHandled(name, id, now);
          return null;
        });
  }

  /**
   * Marks handled messages in the log, together. If that fails, one by one: a failure then costs a
   * second run of the handler (on redelivery) for the messages whose own mark failed, not for the
   * whole batch.
   */
  void markAllHandled(List<String> ids) {
    if (ids.isEmpty()) {
      return;
    }
    Instant now = clock.instant();
    try {
      hold.untilAnswered(
          "marking",
          ids,
          () -> {
            receipts.markAllHandled(name, ids, now);
            return null;
          });
    } catch (StoreUnavailableException e) {
      throw e; // closing while the log is unreachable: nothing else will reach it either
    } catch (RuntimeException e) {
      log.warn(
          "receiver {}: marking {} messages handled together failed, marking them one by one: {}",
          name,
          ids.size(),
          e.toString());
      for (String id : ids) {
        hold.untilAnswered(
            "marking",
            List.of(id),
            () -> {
              receipts.markHandled(name, id, now);
              return null;
            });
      }
    }
  }

  /**
   * Runs work through {@link ReceiptLog#handleOnce}: claim, work and mark in one transaction of the
   * log. An unreachable log is held and asked again like any other call; the work's own failures
   * are not: they come out as {@link WorkFailed}, apart from the log's.
   *
   * @throws WorkFailed carrying what the work threw
   */
  void handleOnce(String id, ReceiptLog.Once work) {
    Instant now = clock.instant();
    hold.withPatience(
        "handling",
        List.of(id),
        () -> {
          try {
            return receipts.handleOnce(
                name,
                id,
                now,
                transaction -> {
                  try {
                    work.run(transaction);
                  } catch (Exception | Error e) {
                    throw new WorkFailed(e);
                  }
                });
          } catch (RuntimeException e) {
            throw e;
          } catch (Exception e) {
            throw new WorkFailed(e); // a checked exception can only come from the work
          }
        });
  }

  /** Carries the work's own failure through the receipt log's transaction, apart from the log's. */
  static final class WorkFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WorkFailed(Throwable cause) {
      super(cause);
    }
  }
}
