package dev.segspark.jobs.actions;

import dev.segspark.evaluation.io.OutputSet;
import dev.segspark.evaluation.report.ImageError;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.LongAccumulator;

/**
 * What every action does the same way, in the spirit of Iceberg's {@code BaseSparkAction}: its
 * options, the Spark job group and description of a run (the Spark UI shows {@code segspark
 * <action> <what it works on>}), the run's clock, the counter of finished images and the progress
 * line that reads it, and the error policy. An action adds only its own work, {@link #run()}.
 *
 * <p>An action runs once at a time: {@link #execute()} sets the clock and the counter for the run.
 * Only the actions of this package extend it (its constructor is package-private); it is public so
 * that {@link #option} and {@link #execute()} are public members of a public class, callable by
 * reflection too (py4j from a notebook).
 *
 * @param <ThisT> the action itself, so that {@link #option} chains on the concrete type
 * @param <S> the action's spec
 * @param <R> the action's result
 */
public abstract class BaseAction<ThisT extends BaseAction<ThisT, S, R>, S, R> {
  /** What the action works on. */
  final S spec;

  private final Runner runner;
  private final String name;
  private final OnError policy;
  private boolean progress = true;
  private long start;
  private LongAccumulator images;

  /**
   * @param name the action as the command line names it ({@code label}, {@code evaluate}, ...)
   * @param policy what an image that cannot be processed does to the run
   */
  BaseAction(Runner runner, S spec, String name, OnError policy) {
    this.runner = runner;
    this.spec = spec;
    this.name = name;
    this.policy = policy;
  }

  /**
   * Sets an option: {@code progress} = true|false (the stderr progress line, default true).
   *
   * @throws IllegalArgumentException for a name the action does not know
   */
  @SuppressWarnings("unchecked")
  public ThisT option(String optionName, String value) {
    if (!optionName.equals("progress")) {
      throw new IllegalArgumentException("Cannot set option: unknown name (" + optionName + ")");
    }
    progress = Boolean.parseBoolean(value);
    return (ThisT) this;
  }

  /**
   * Runs the action. Its Spark jobs run in a job group of their own, described for the Spark UI as
   * {@code segspark <action> <what it works on>} (e.g. {@code segspark label <model> <images>});
   * the calling thread's job group and description are restored afterwards, also when the run
   * fails.
   */
  public final R execute() {
    start = System.nanoTime();
    images = runner.counter();
    return runner.inJobGroup(
        "segspark-" + name + "-" + UUID.randomUUID(), description(), this::run);
  }

  /** What the Spark UI shows for the run's jobs: {@code segspark <action> <subject>}. */
  final String description() {
    return "segspark " + name + " " + subject();
  }

  /** What the run works on, as the Spark UI shows it after the action's name. */
  abstract String subject();

  /** The action's own work, inside the run's job group. */
  abstract R run();

  /** The Spark session (an in-process runner starts it now, if it has none yet). */
  final SparkSession spark() {
    return runner.session();
  }

  final JavaSparkContext jsc() {
    return JavaSparkContext.fromSparkContext(spark().sparkContext());
  }

  /** Where the run's partitions go. */
  final Runner runner() {
    return runner;
  }

  /** {@link System#nanoTime()} when the run started. */
  final long startNanos() {
    return start;
  }

  /** Seconds since the run started. */
  final double seconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  /** The run's counter of finished images ({@code segspark.images}): tasks add, the line reads. */
  final LongAccumulator images() {
    return images;
  }

  /** Starts the progress line of the run's counter, out of {@code total} images. */
  final ProgressLine progress(long total) {
    return ProgressLine.start(name, total, images, progress);
  }

  /** The requested partitions, else several per core; at most one per sample. */
  final int partitions(int requested, int samples) {
    return JobSupport.partitions(runner.parallelism(), requested, samples, Integer.MAX_VALUE);
  }

  /**
   * The requested partitions of a model job, else several per core and at most {@link
   * JobSupport#MAX_BATCHES_PER_PARTITION} batches each; at most one per batch.
   */
  final int modelPartitions(int requested, int batches) {
    return JobSupport.partitions(
        runner.parallelism(), requested, batches, JobSupport.MAX_BATCHES_PER_PARTITION);
  }

  /** Under {@code fail}, stops on the driver, before any task starts, if inputs are missing. */
  final void failOnMissing(List<ImageError> missing) {
    JobSupport.failOnMissing(missing, policy);
  }

  /**
   * The errors sorted by image; stops the run under {@code fail} if there is any, under {@code
   * skip} if every one of {@code count} images failed.
   */
  final List<ImageError> sortedOrFail(List<ImageError> errors, long count) {
    return JobSupport.sortedOrFail(errors, policy, count);
  }

  /**
   * Writes into the staging folder of {@code outputs} and commits them if {@code work} returns; a
   * run that fails leaves no output set (see {@link OutputSet}).
   */
  static <T> T committed(OutputSet outputs, Function<Path, T> work) {
    try (outputs) {
      T result = work.apply(outputs.staging());
      outputs.commit();
      return result;
    }
  }
}
