package dev.segspark.jobs.actions;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.model.StageTimes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;

/** What every evaluation job does the same way: partitioning, error policy, run facts, Parquet. */
final class JobSupport {
  private JobSupport() {}

  /**
   * The value of {@code future}, waiting for it. What it ended with is thrown as it was thrown
   * where the value was computed; a checked exception comes wrapped, naming {@code what} (the work,
   * as in "while {@code what}").
   */
  static <T> T value(Future<T> future, String what) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while " + what, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("Failed while " + what + ": " + cause, cause);
    }
  }

  /**
   * Automatic partitions of a model job hold at most this many batches: a task is then seconds
   * long, not minutes, so the executors that finish first take the work that is left instead of
   * idling while the slowest one ends its last quarter of the input (CPUs differ in speed,
   * executors start at different times). Measured: label of 8192 frames on 2 executors, 4 tasks of
   * 256 batches each, one executor idled 14 s of a 140 s run. Jobs without a model keep 4
   * partitions per core: their images take milliseconds, and more partitions cost time there (an
   * in-process evaluate of 1000 label maps: 1.49-1.54 s with 8, 1.63-1.72 s with 32).
   */
  static final int MAX_BATCHES_PER_PARTITION = 32;

  /**
   * The requested partitions, else 4 per core and at least one per {@code maxUnits} units; never
   * more than one per unit of work (a sample, or with a model a batch): an empty partition is pure
   * scheduling cost, and a million of them is a job that runs for minutes doing nothing. Results do
   * not depend on the count (see the report contract).
   *
   * @param parallelism the task slots
   * @param requested the requested number, 0 = automatic
   * @param units the samples (or batches) to distribute
   * @param maxUnits the most units an automatic partition holds
   */
  static int partitions(int parallelism, int requested, int units, int maxUnits) {
    int wanted = requested > 0 ? requested : Math.max(parallelism * 4, (units - 1) / maxUnits + 1);
    return Math.max(1, Math.min(units, wanted));
  }

  /**
   * Consecutive groups of {@code size} items, the unit of model batching: partitions hold whole
   * groups, so the images that share a forward pass do not depend on the partition count.
   */
  static <T> List<List<T>> batches(List<T> items, int size) {
    List<List<T>> out = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      out.add(new ArrayList<>(items.subList(i, Math.min(items.size(), i + size))));
    }
    return out;
  }

  /** Under {@code fail}, stops on the driver, before any task starts, if inputs are missing. */
  static void failOnMissing(List<ImageError> missing, OnError policy) {
    if (!missing.isEmpty() && policy == OnError.FAIL) {
      throw new InvalidInputException(missing.get(0).image(), summarise(missing));
    }
  }

  /**
   * Under {@code fail}, stops the job if any image failed; under {@code skip}, stops it if every
   * image failed (there is nothing to report). Returns the errors sorted by image.
   *
   * @param images the images the job was given
   */
  static List<ImageError> sortedOrFail(List<ImageError> errors, OnError policy, long images) {
    List<ImageError> sorted = new ArrayList<>(errors);
    sorted.sort(Comparator.comparing(ImageError::image));
    if (!sorted.isEmpty() && policy == OnError.FAIL) {
      throw new JobFailedException(summarise(sorted));
    }
    if (images > 0 && sorted.size() >= images) {
      throw new JobFailedException(
          "All "
              + images
              + " images were skipped (--on-error skip), nothing is left to report:"
              + System.lineSeparator()
              + "  "
              + shown(sorted));
    }
    return sorted;
  }

  private static String summarise(List<ImageError> errors) {
    return errors.size()
        + " image(s) could not be evaluated (use --on-error skip to record them "
        + "and carry on):"
        + System.lineSeparator()
        + "  "
        + shown(errors);
  }

  /** The first five errors, one a line, and how many more. */
  private static String shown(List<ImageError> errors) {
    String shown =
        errors.stream()
            .limit(5)
            .map(ImageError::error)
            .collect(Collectors.joining(System.lineSeparator() + "  "));
    return errors.size() > 5
        ? shown + System.lineSeparator() + "  ... and " + (errors.size() - 5) + " more"
        : shown;
  }

  /** Spark's version (reading it initialises Scala objects, ~25 ms: {@link Preload} does it). */
  static String sparkVersion() {
    return SparkVersion.VALUE;
  }

  private static final class SparkVersion {
    static final String VALUE = org.apache.spark.package$.MODULE$.SPARK_VERSION();
  }

  /** The {@code run} section shared by every report; callers add their own facts after it. */
  static Map<String, Object> runFacts(
      Runner runner,
      long startNanos,
      long images,
      int skipped,
      int partitions,
      long decodeNanos,
      long metricsNanos) {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("seconds", seconds);
    run.put("imagesPerSecond", images / seconds);
    run.put("images", images);
    run.put("skipped", skipped);
    run.put("partitions", partitions);
    run.put("master", runner.master());
    run.put("sparkVersion", sparkVersion());
    run.put("decodeSeconds", decodeNanos / 1e9);
    run.put("metricsSeconds", metricsNanos / 1e9);
    return run;
  }

  /**
   * Model facts for {@code run}: name, spec, adapter, batch size, the task time per stage (summed
   * over tasks; decode runs on the prefetch thread, overlapping inference) and the forward-pass
   * rate.
   */
  static void putModelFacts(Map<String, Object> run, ModelSpec model, StageTimes t, long images) {
    run.put("model", model.name());
    run.put("modelSpec", model.source());
    run.put("engine", model.engine().yamlName());
    run.put("adapter", model.adapter());
    run.put("batchSize", model.batchSize());
    run.put("preprocessSeconds", t.preprocess() / 1e9);
    run.put("inferenceSeconds", t.inference() / 1e9);
    run.put("postprocessSeconds", t.postprocess() / 1e9);
    run.put("inferenceImagesPerSecond", t.inference() == 0 ? null : images / (t.inference() / 1e9));
  }

  /** Row counts up to which a table's rows are collected at once; larger ones stream. */
  static final int COLLECT_LIMIT = 100_000;

  /**
   * Writes a small per-image table from the driver (see {@link ParquetRows}): the rows of an
   * already computed (persisted) RDD, collected at once or, above {@value #COLLECT_LIMIT} rows,
   * streamed one partition at a time.
   */
  static void writeTable(JavaRDD<Row> rows, TableSchema schema, Path folder, int count) {
    writeTable(rows, schema, folder, count, true);
  }

  /** As {@link #writeTable(JavaRDD, TableSchema, Path, int)}; {@code success}: write _SUCCESS. */
  static void writeTable(
      JavaRDD<Row> rows, TableSchema schema, Path folder, int count, boolean success) {
    Iterator<Row> it = count <= COLLECT_LIMIT ? rows.collect().iterator() : rows.toLocalIterator();
    ParquetRows.write(folder, schema, it, success);
  }
}
