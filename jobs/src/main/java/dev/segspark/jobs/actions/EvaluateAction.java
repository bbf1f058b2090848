package dev.segspark.jobs.actions;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.ImageCounts;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.evaluation.metrics.SemanticScores;
import dev.segspark.evaluation.report.DatasetInfo;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.evaluation.report.ReportFiles;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.jobs.data.SampleLister;
import dev.segspark.udfs.partition.EvaluatePartition;
import dev.segspark.udfs.partition.ImageResult;
import dev.segspark.udfs.partition.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Evaluates predictions on disk: lists samples on the driver, counts per image on executors,
 * tree-aggregates the counts, derives the scores on the driver and writes the reports.
 */
public final class EvaluateAction {
  /** Per-image Parquet output (a Spark folder). */
  public static final String PER_IMAGE = "per_image.parquet";

  private final SparkSession spark;
  private final EvalSpec spec;
  private boolean progress = true;

  EvaluateAction(SparkSession spark, EvalSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  /** Sets an option: {@code progress} = true|false (the stderr progress line). */
  public EvaluateAction option(String name, String value) {
    if (!name.equals("progress")) {
      throw new IllegalArgumentException("Cannot set option: unknown name (" + name + ")");
    }
    progress = Boolean.parseBoolean(value);
    return this;
  }

  /** Runs the evaluation and writes the reports into {@code spec.out()}. */
  public EvaluateResult execute() {
    long start = System.nanoTime();
    List<Sample> samples = SampleLister.list(spec.dataset(), spec.predictions());
    List<ImageError> missing = missingPredictions(samples);
    EvalSpace space = EvalSpace.of(spec.convention(), spec.dataset().table(), spec.predictionIds());
    boolean withInstances =
        spec.convention() == Convention.CITYSCAPES
            && samples.stream().anyMatch(s -> s.instances() != null);
    int partitions = partitions(spark, spec.partitions(), samples.size());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator done = jsc.sc().longAccumulator("segspark.images");
    JavaRDD<ImageResult> results =
        jsc.parallelize(samples, partitions)
            .mapPartitions(new EvaluatePartition(space, withInstances, spec.maxPixels(), done))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      EvalAggregate total;
      try (ProgressLine line = ProgressLine.start("evaluate", samples.size(), done, progress)) {
        total =
            results.treeAggregate(
                new EvalAggregate(space.size()), EvalAggregate::add, EvalAggregate::merge);
      }
      failOnErrors(total.errors);
      checkInvariant(total);
      writePerImage(results, samples.size());
      SemanticScores scores =
          SemanticMetrics.compute(space, total.matrix, withInstances ? total.instances : null);
      SemanticReport report = report(space, scores, total, partitions, start);
      ReportFiles.write(report, spec.out());
      return new EvaluateResult(report, spec.out());
    } finally {
      results.unpersist(false);
    }
  }

  private List<ImageError> missingPredictions(List<Sample> samples) {
    List<ImageError> missing =
        samples.stream()
            .filter(s -> s.prediction() == null)
            .map(s -> new ImageError(s.id(), EvaluatePartition.missingPrediction(s)))
            .toList();
    if (!missing.isEmpty() && spec.onError() == OnError.FAIL) {
      // found on the driver before any task starts
      throw new InvalidInputException(missing.get(0).image(), summarise(missing));
    }
    return missing;
  }

  /** The requested partitions, else 4 per core and at most one per sample. */
  static int partitions(SparkSession spark, int requested, int samples) {
    if (requested > 0) {
      return requested;
    }
    int cores = spark.sparkContext().defaultParallelism();
    return Math.max(1, Math.min(samples, cores * 4));
  }

  private void failOnErrors(List<ImageError> errors) {
    if (!errors.isEmpty() && spec.onError() == OnError.FAIL) {
      List<ImageError> sorted = new ArrayList<>(errors);
      sorted.sort(Comparator.comparing(ImageError::image));
      throw new JobFailedException(summarise(sorted));
    }
  }

  static String summarise(List<ImageError> errors) {
    String shown =
        errors.stream()
            .limit(5)
            .map(ImageError::error)
            .collect(Collectors.joining(System.lineSeparator() + "  "));
    String more =
        errors.size() > 5
            ? System.lineSeparator() + "  ... and " + (errors.size() - 5) + " more"
            : "";
    return errors.size()
        + " image(s) could not be evaluated (use --on-error skip to record them "
        + "and carry on):"
        + System.lineSeparator()
        + "  "
        + shown
        + more;
  }

  private static void checkInvariant(EvalAggregate total) {
    long counted = total.matrix.total() + total.matrix.ignored();
    if (counted != total.pixels) {
      throw new IllegalStateException(
          "Confusion matrix holds " + counted + " pixels but " + total.pixels + " were read");
    }
  }

  private SemanticReport report(
      EvalSpace space, SemanticScores scores, EvalAggregate total, int partitions, long start) {
    List<ImageError> errors = new ArrayList<>(total.errors);
    errors.sort(Comparator.comparing(ImageError::image));
    double seconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> run = new LinkedHashMap<>();
    run.put("seconds", seconds);
    run.put("imagesPerSecond", total.images / seconds);
    run.put("images", total.images);
    run.put("skipped", errors.size());
    run.put("pixels", total.pixels);
    run.put("partitions", partitions);
    run.put("master", spark.sparkContext().master());
    run.put("sparkVersion", spark.version());
    run.put("predictionIds", spec.predictionIds().name());
    run.put("decodeSeconds", total.decodeNanos / 1e9);
    run.put("metricsSeconds", total.metricsNanos / 1e9);
    DatasetInfo dataset =
        new DatasetInfo(
            spec.dataset().name(),
            spec.dataset().root().toAbsolutePath().toString(),
            spec.dataset().split(),
            total.images);
    return new SemanticReport(dataset, scores, space.indexIds(), total.matrix, errors, run);
  }

  private void writePerImage(JavaRDD<ImageResult> results, int samples) {
    StructType schema =
        new StructType()
            .add("image", DataTypes.StringType, false)
            .add("groundTruth", DataTypes.StringType, false)
            .add("prediction", DataTypes.StringType, true)
            .add("width", DataTypes.IntegerType, false)
            .add("height", DataTypes.IntegerType, false)
            .add("countedPixels", DataTypes.LongType, false)
            .add("ignoredPixels", DataTypes.LongType, false)
            .add("correctPixels", DataTypes.LongType, false)
            .add("pixelAccuracy", DataTypes.DoubleType, true)
            .add("meanIoU", DataTypes.DoubleType, true)
            .add("instances", DataTypes.IntegerType, false)
            .add("error", DataTypes.StringType, true)
            .add("decodeMillis", DataTypes.DoubleType, false)
            .add("metricsMillis", DataTypes.DoubleType, false);
    JavaRDD<Row> rows = results.map(EvaluateAction::row);
    spark
        .createDataFrame(rows, schema)
        .coalesce(Math.max(1, samples / 100_000))
        .write()
        .mode(SaveMode.Overwrite)
        .parquet(spec.out().resolve(PER_IMAGE).toAbsolutePath().toString());
  }

  private static Row row(ImageResult r) {
    ImageCounts c = r.counts();
    long counted = c == null ? 0 : c.counted();
    long correct = c == null ? 0 : c.correct();
    return RowFactory.create(
        r.sample().id(),
        r.sample().groundTruth(),
        r.sample().prediction(),
        r.width(),
        r.height(),
        counted,
        c == null ? 0L : c.ignored(),
        correct,
        counted == 0 ? null : (double) correct / counted,
        c == null ? null : c.meanIoU(),
        r.instances().count(),
        r.error(),
        r.decodeNanos() / 1e6,
        r.metricsNanos() / 1e6);
  }
}
