package dev.segspark.jobs.actions;

import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.util.LongAccumulator;

/**
 * A one-line progress report on stderr while a job runs: rewritten in place when stderr is a
 * terminal, a plain line every 10 s otherwise (logs, CI, {@code 2> file}).
 */
final class ProgressLine implements AutoCloseable {
  private final String verb;
  private final long total;
  private final LongAccumulator done;
  private final PrintStream err = System.err;
  private final boolean terminal = Terminal.stderr();
  private final long start = System.nanoTime();
  private final Thread thread;
  private volatile boolean running = true;

  private ProgressLine(String verb, long total, LongAccumulator done, boolean enabled) {
    this.verb = verb;
    this.total = total;
    this.done = done;
    this.thread = new Thread(this::loop, "segspark-progress");
    thread.setDaemon(true);
    if (enabled) {
      thread.start();
    }
  }

  static ProgressLine start(String verb, long total, LongAccumulator done, boolean enabled) {
    return new ProgressLine(verb, total, done, enabled);
  }

  private void loop() {
    long lastPrint = 0;
    while (running) {
      try {
        Thread.sleep(terminal ? 500 : 1000);
      } catch (InterruptedException e) {
        return;
      }
      long now = System.nanoTime();
      if (terminal) {
        err.print("\r" + line());
        err.flush();
      } else if (now - lastPrint > 10_000_000_000L) {
        err.println(line());
        lastPrint = now;
      }
    }
  }

  private String line() {
    long n = done.value();
    double seconds = (System.nanoTime() - start) / 1e9;
    return String.format(
        Locale.ROOT,
        "[%s] %d/%d images  %.1f img/s  %.0fs",
        verb,
        n,
        total,
        n / Math.max(seconds, 1e-9),
        seconds);
  }

  @Override
  public void close() {
    if (thread.isAlive()) {
      running = false;
      thread.interrupt();
      err.print((terminal ? "\r" : "") + line() + System.lineSeparator());
      err.flush();
    }
  }
}
