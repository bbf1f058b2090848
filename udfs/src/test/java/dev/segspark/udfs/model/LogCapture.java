package dev.segspark.udfs.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Records the warnings and errors of a logger and its children while open, whatever the configured
 * level. Not debug events: formatting them can run code that logs in turn (DJL's model loaders list
 * their artifacts in {@code toString}), and log4j drops an event raised inside an appender.
 */
final class LogCapture implements AutoCloseable {
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
  private final String name;
  private final AbstractAppender appender;

  LogCapture(String name) {
    this.name = name;
    this.appender =
        new AbstractAppender("capture-" + name, null, null, true, Property.EMPTY_ARRAY) {
          @Override
          public void append(LogEvent e) {
            lines.add(
                e.getLevel()
                    + " "
                    + e.getLoggerName()
                    + ": "
                    + e.getMessage().getFormattedMessage());
          }
        };
    appender.start();
    Configuration config = context.getConfiguration();
    LoggerConfig logger = new LoggerConfig(name, Level.WARN, true);
    logger.addAppender(appender, Level.WARN, null);
    config.addLogger(name, logger);
    context.updateLoggers();
  }

  /** "LEVEL logger: message" per event so far. */
  List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    context.getConfiguration().removeLogger(name);
    context.updateLoggers();
    appender.stop();
  }
}
