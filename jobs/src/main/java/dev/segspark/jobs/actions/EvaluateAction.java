package dev.segspark.jobs.actions;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.io.OutputSet;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.PredictionIdCheck;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.evaluation.metrics.SemanticScores;
import dev.segspark.evaluation.report.DatasetInfo;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.evaluation.report.ReportFiles;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.jobs.data.SampleLister;
import dev.segspark.jobs.data.SampleListing;
import dev.segspark.udfs.model.ModelChecks;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.EvaluateModelPartition;
import dev.segspark.udfs.partition.EvaluatePartition;
import dev.segspark.udfs.partition.ImageResult;
import dev.segspark.udfs.partition.Sample;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;

/**
 * Evaluates predictions on disk: lists samples on the driver, counts per image on executors,
 * tree-aggregates the counts, derives the scores on the driver and writes the reports.
 */
public final class EvaluateAction {
  /** Per-image Parquet output (a Spark folder). */
  public static final String PER_IMAGE = ReportFiles.PER_IMAGE;

  private final SparkSession spark;
  private final EvalSpec spec;
  private boolean progress = true;

  EvaluateAction(SparkSession spark, EvalSpec spec) {
    this.spark = spark;
    this.spec = spec;
  }

  /** Sets an option: {@code progress} = true|false (the stderr progress line). */
  public EvaluateAction option(String name, String value) {
    progress = JobSupport.progressOption(name, value);
    return this;
  }

  /**
   * Runs the evaluation and writes the reports into {@code spec.out()}, as a unit (see {@link
   * ReportFiles}): the previous report set there is removed first, so a run that fails leaves none.
   */
  public EvaluateResult execute() {
    long start = System.nanoTime();
    spec.checkPaths(); // a typo in a path must not remove the previous report
    try (OutputSet reports = ReportFiles.open(spec.out())) {
      EvaluateResult result = run(start, reports.staging());
      reports.commit();
      return result;
    }
  }

  private EvaluateResult run(long start, Path staging) {
    ModelSpec model = spec.model();
    SampleListing listing =
        model == null
            ? SampleLister.list(spec.dataset(), spec.predictions())
            : SampleLister.listImages(spec.dataset());
    List<Sample> samples = listing.samples();
    boolean withInstances =
        spec.convention() == Convention.CITYSCAPES
            && samples.stream().anyMatch(s -> s.instances() != null);
    // iIoU sums instances over the dataset: an image without its instance map would change it
    // silently, so it is an error of that image (its other figures are left out too)
    List<ImageError> noInstances =
        withInstances ? missingInstances(samples) : List.<ImageError>of();
    if (!noInstances.isEmpty()) {
      samples = samples.stream().filter(s -> s.instances() != null).toList();
    }
    List<ImageError> listed = concat(listing.errors(), noInstances);
    JobSupport.failOnMissing(
        concat(listed, missingPredictions(samples, model != null)), spec.onError());
    if (model != null) {
      ModelChecks.verify(model, spec.dataset().table(), spec.dataset().name());
    }
    EvalSpace space = EvalSpace.of(spec.convention(), spec.dataset().table(), spec.predictionIds());
    List<List<Sample>> batches =
        model == null ? List.of() : JobSupport.batches(samples, model.batchSize());
    int partitions =
        JobSupport.partitions(
            spark, spec.partitions(), model == null ? samples.size() : batches.size());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    LongAccumulator done = jsc.sc().longAccumulator("segspark.images");
    JavaRDD<ImageResult> results =
        (model == null
                ? jsc.parallelize(samples, partitions)
                    .mapPartitions(
                        new EvaluatePartition(space, withInstances, spec.maxPixels(), done))
                : jsc.parallelize(batches, partitions)
                    .mapPartitions(
                        new EvaluateModelPartition(
                            model, space, withInstances, spec.maxPixels(), done)))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      EvalAggregate total;
      try (ProgressLine line = ProgressLine.start("evaluate", samples.size(), done, progress)) {
        total =
            results.treeAggregate(
                new EvalAggregate(space.size()), EvalAggregate::add, EvalAggregate::merge);
      }
      List<ImageError> errors =
          JobSupport.sortedOrFail(concat(listed, total.errors), spec.onError(), listing.ids());
      checkInvariant(total);
      String kind = PredictionIdCheck.mismatch(space, total.matrix);
      if (kind != null) {
        throw new InvalidInputException(
            model == null ? spec.predictions().toString() : model.model(), kind);
      }
      writePerImage(results, space, staging, samples.size());
      SemanticScores scores =
          SemanticMetrics.compute(space, total.matrix, withInstances ? total.instances : null);
      SemanticReport report = report(space, scores, total, errors, partitions, start);
      ReportFiles.write(report, staging);
      return new EvaluateResult(report, spec.out());
    } finally {
      results.unpersist(false);
    }
  }

  private static List<ImageError> concat(List<ImageError> a, List<ImageError> b) {
    List<ImageError> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static List<ImageError> missingPredictions(List<Sample> samples, boolean images) {
    return samples.stream()
        .filter(s -> s.prediction() == null)
        .map(
            s ->
                new ImageError(
                    s.id(),
                    images
                        ? EvaluateModelPartition.missingImage(s)
                        : EvaluatePartition.missingPrediction(s)))
        .toList();
  }

  private static List<ImageError> missingInstances(List<Sample> samples) {
    return samples.stream()
        .filter(s -> s.instances() == null)
        .map(s -> new ImageError(s.id(), SampleLister.missingInstances(s)))
        .toList();
  }

  private static void checkInvariant(EvalAggregate total) {
    long counted = total.matrix.total() + total.matrix.ignored();
    if (counted != total.pixels) {
      throw new IllegalStateException(
          "Confusion matrix holds " + counted + " pixels but " + total.pixels + " were read");
    }
  }

  private SemanticReport report(
      EvalSpace space,
      SemanticScores scores,
      EvalAggregate total,
      List<ImageError> errors,
      int partitions,
      long start) {
    Map<String, Object> run =
        JobSupport.runFacts(
            spark,
            start,
            total.images,
            errors.size(),
            partitions,
            total.decodeNanos,
            total.metricsNanos);
    run.put("pixels", total.pixels);
    run.put("predictionIds", spec.predictionIds().name());
    if (spec.model() != null) {
      JobSupport.putModelFacts(run, spec.model(), total.modelTimes, total.images);
    }
    DatasetInfo dataset =
        new DatasetInfo(
            spec.dataset().name(),
            spec.dataset().root().toAbsolutePath().toString(),
            spec.dataset().split(),
            total.images);
    return new SemanticReport(dataset, scores, space.indexIds(), total.matrix, errors, run);
  }

  private static void writePerImage(
      JavaRDD<ImageResult> results, EvalSpace space, Path dir, int samples) {
    JobSupport.writePerImage(results.map(new PerImageRow(space)), PerImageRow.SCHEMA, dir, samples);
  }
}
