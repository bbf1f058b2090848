package dev.segspark.jobs.actions;

import dev.segspark.evaluation.report.HtmlPage;

/**
 * Start-up work done ahead, on a thread of its own, for a run whose main thread is busy with other
 * things first: an in-process evaluate spends its first part parsing the command line and the label
 * tables and its last writing the reports, whose HTML inlines the ECharts script (a megabyte read
 * from its jar and checked). Here that read overlaps the first part instead of lengthening the
 * last.
 *
 * <p>Nothing here changes an output. A failure is ignored: the report meets the same problem and
 * reports it. Two threads may reach the script's holder at once; the JVM initialises it once.
 */
public final class Preload {
  private static boolean started;

  private Preload() {}

  /** Starts the preloading thread, once; later calls do nothing. */
  public static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    Thread t = new Thread(Preload::run, "segspark-preload");
    t.setDaemon(true);
    t.start();
  }

  private static void run() {
    try {
      HtmlPage.preload();
      JobSupport.sparkVersion();
    } catch (RuntimeException | LinkageError ignored) {
      // the report reports whatever went wrong here
    }
  }
}
