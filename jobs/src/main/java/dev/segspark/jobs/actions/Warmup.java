package dev.segspark.jobs.actions;

import dev.segspark.evaluation.io.Folders;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.evaluation.report.HtmlPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Prepares, on a daemon thread, what a short in-process run needs: the YAML parser for its label
 * table first, and for its end Parquet's writer with Hadoop's configuration and Snappy (a few
 * hundred milliseconds of class initialisation in a fresh JVM) and the report page's inlined
 * script. A CLI run starts it while its main thread parses the command line and lists the files,
 * when the other cores are idle; a failure here only means the run does that work later itself.
 */
final class Warmup {
  private Warmup() {}

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /**
   * Starts the preparation, once per JVM, unless {@code -Dsegspark.warmup=false}; returns at once.
   */
  static void start() {
    if (!Boolean.parseBoolean(System.getProperty("segspark.warmup", "true"))
        || !STARTED.compareAndSet(false, true)) {
      return;
    }
    Thread t = new Thread(Warmup::prepare, "segspark-warmup");
    t.setDaemon(true);
    t.setPriority(Thread.MIN_PRIORITY);
    t.start();
  }

  private static void prepare() {
    Path dir = null;
    try {
      LabelTables.builtIn("cityscapes"); // YAML's parser, which the command's dataset needs first
      dir = Files.createTempDirectory("segspark-warmup-");
      StructType schema =
          new StructType()
              .add("image", DataTypes.StringType, false)
              .add("count", DataTypes.LongType, false)
              .add("score", DataTypes.DoubleType, true)
              .add("scores", DataTypes.createArrayType(DataTypes.DoubleType, true), true);
      Row row = RowFactory.create("warmup", 1L, 0.5, new Double[] {0.5, null});
      ParquetRows.write(dir.resolve("t.parquet"), schema, List.of(row).iterator());
      HtmlPage.preload();
    } catch (IOException | RuntimeException e) {
      // nothing is lost: the run initialises these itself when it gets there
    } finally {
      if (dir != null) {
        Folders.deleteQuietly(dir);
      }
    }
  }
}
