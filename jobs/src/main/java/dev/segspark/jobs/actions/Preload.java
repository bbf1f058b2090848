package dev.segspark.jobs.actions;

import dev.segspark.evaluation.report.HtmlPage;

/**
 * Start-up work done ahead, on a thread of its own, for a run whose main thread is busy with other
 * things first: an in-process evaluate spends its first half second parsing the command line and
 * the label tables and its last on the per-image Parquet table and the reports, whose first use
 * initialises Parquet, slf4j and Log4j and reads the ECharts script (together about 0.5 s of one
 * core, on a machine whose second core is idle until the images are read). Here that initialisation
 * overlaps the first part instead of lengthening the last.
 *
 * <p>Nothing here changes an output: it writes one row to nowhere and reads a resource. A failure
 * is ignored, the real write meets the same problem and reports it. {@link #await()} runs before
 * the first real write, so that no class is initialised by two threads at once.
 */
public final class Preload {
  private static volatile Thread thread;

  private Preload() {}

  /** Starts the preloading thread, once; later calls do nothing. */
  public static synchronized void start() {
    if (thread != null) {
      return;
    }
    Thread t = new Thread(Preload::run, "segspark-preload");
    t.setDaemon(true);
    t.start();
    thread = t;
  }

  /** Waits for the preloading started by {@link #start()}, if any. */
  static void await() {
    Thread t = thread;
    if (t == null) {
      return;
    }
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void run() {
    try {
      ParquetRows.warmUp(PerImageRow.SCHEMA);
      HtmlPage.preload();
    } catch (Exception | LinkageError ignored) {
      // the real write reports whatever went wrong here
    }
  }
}
