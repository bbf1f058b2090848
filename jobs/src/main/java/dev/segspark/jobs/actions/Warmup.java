package dev.segspark.jobs.actions;

import dev.segspark.evaluation.image.LabelMap;
import dev.segspark.evaluation.image.Png;
import dev.segspark.evaluation.io.Folders;
import dev.segspark.evaluation.labels.LabelTables;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.PairCounter;
import dev.segspark.evaluation.metrics.PredictionIds;
import dev.segspark.evaluation.report.HtmlPage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Prepares, on a daemon thread, what a short in-process run needs: the YAML parser for its label
 * table, compiled PNG-decoding and counting loops for its tasks, and for its end Parquet's writer
 * with Hadoop's configuration and Snappy (a few hundred milliseconds of class initialisation in a
 * fresh JVM) and the report page's inlined script. A CLI run starts it while its main thread parses
 * the command line and lists the files, when the other cores are idle; a failure here only means
 * the run does that work later itself.
 */
final class Warmup {
  private Warmup() {}

  /**
   * Runs PNG decoding and pair counting on a synthetic 8-bit map pair for a moment, so that the JIT
   * has compiled their loops when the first task starts instead of while the tasks run (on 2 cores,
   * a 1-second job otherwise spends a third of its time in interpreted and C1 code).
   */
  private static void compileHotLoops() {
    int w = 1024;
    int h = 256;
    byte[] truth = new byte[w * h];
    byte[] predicted = new byte[w * h];
    for (int i = 0; i < truth.length; i++) {
      int x = i % w;
      int y = i / w;
      truth[i] = (byte) ((x / 64 + y / 32) % 19);
      predicted[i] = (byte) (((x + 8) / 64 + y / 32) % 19);
    }
    byte[] truthPng = Png.encodeGrey8(w, h, truth);
    byte[] predictedPng = Png.encodeGrey8(w, h, predicted);
    List<String> names = new ArrayList<>();
    for (int c = 0; c < 19; c++) {
      names.add("class" + c);
    }
    EvalSpace space =
        EvalSpace.of(
            Convention.MMSEG, LabelTables.ofClasses("warmup", 255, names), PredictionIds.TRAIN_IDS);
    PairCounter counter = new PairCounter(space);
    LabelMap gt = null;
    LabelMap pred = null;
    long end = System.nanoTime() + WARM_NANOS;
    for (int i = 0; i < 40 && System.nanoTime() < end; i++) {
      gt = Png.decodeLabelMap(truthPng, "warmup", gt);
      pred = Png.decodeLabelMap(predictedPng, "warmup", pred);
      counter.count(gt, pred, "warmup");
    }
  }

  /** At most this long on compiling the hot loops. */
  private static final long WARM_NANOS = 400_000_000L;

  private static final AtomicBoolean STARTED = new AtomicBoolean();

  /** Starts the preparation, once per JVM; returns at once. */
  static void start() {
    if (!STARTED.compareAndSet(false, true)) {
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
      compileHotLoops();
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
