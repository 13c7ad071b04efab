package dev.postoffice.reliability;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of this JVM at DEBUG (message, arguments, stack traces), then restores
 * the levels.
 */
final class LogCapture implements AutoCloseable {
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final Map<Logger, Level> levels = new HashMap<>();
  private final Logger root;

  LogCapture() {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Logger logger : context.getLoggerList()) {
      levels.put(logger, logger.getLevel());
      if (logger.getLevel() != null) {
        logger.setLevel(Level.DEBUG);
      }
    }
    root.setLevel(Level.DEBUG);
    appender.setContext(context);
    appender.start();
    root.addAppender(appender);
  }

  /**
   * @return every captured line: the formatted message, its raw arguments, and any stack trace
   */
  List<String> lines() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : List.copyOf(appender.list)) {
      StringBuilder b =
          new StringBuilder(e.getLevel() + " " + e.getLoggerName() + " " + e.getFormattedMessage());
      if (e.getArgumentArray() != null) {
        for (Object arg : e.getArgumentArray()) {
          b.append(" | ").append(arg);
        }
      }
      if (e.getThrowableProxy() != null) {
        b.append('\n').append(ThrowableProxyUtil.asString(e.getThrowableProxy()));
      }
      out.add(b.toString());
    }
    return out;
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    levels.forEach(Logger::setLevel);
  }
}
