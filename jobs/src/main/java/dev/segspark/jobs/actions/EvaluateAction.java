package dev.segspark.jobs.actions;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.metrics.Convention;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.PredictionIdCheck;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.evaluation.metrics.SemanticScores;
import dev.segspark.evaluation.report.DatasetInfo;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.evaluation.report.ReportFiles;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.evaluation.report.WorstImage;
import dev.segspark.jobs.data.SampleLister;
import dev.segspark.jobs.data.SampleListing;
import dev.segspark.udfs.model.ModelChecks;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.EvaluateModelPartition;
import dev.segspark.udfs.partition.EvaluatePartition;
import dev.segspark.udfs.partition.ImageResult;
import dev.segspark.udfs.partition.Sample;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import scala.Tuple3;

/**
 * Evaluates predictions on disk: lists samples on the driver, counts per image on executors,
 * tree-aggregates the counts, derives the scores on the driver and writes the reports.
 */
public final class EvaluateAction extends BaseAction<EvaluateAction, EvalSpec, EvaluateResult> {
  /** Per-image Parquet output (a Spark folder). */
  public static final String PER_IMAGE = ReportFiles.PER_IMAGE;

  EvaluateAction(SparkSession spark, EvalSpec spec) {
    super(spark, spec, "evaluate", spec.onError());
  }

  /** The dataset's root and the predictions folder, or the model's name. */
  @Override
  String subject() {
    return spec.dataset().root()
        + " "
        + (spec.model() == null ? spec.predictions() : spec.model().name());
  }

  /**
   * Runs the evaluation and writes the reports into {@code spec.out()}, as a unit (see {@link
   * ReportFiles}): the previous report set there is removed first, so a run that fails leaves none.
   */
  @Override
  EvaluateResult run() {
    spec.checkPaths(); // a typo in a path must not remove the previous report
    return committed(ReportFiles.open(spec.out()), this::evaluate);
  }

  private EvaluateResult evaluate(Path staging) {
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
    failOnMissing(concat(listed, missingPredictions(samples, model != null)));
    if (model != null) {
      ModelChecks.verify(model, spec.dataset().table(), spec.dataset().name());
    }
    EvalSpace space = EvalSpace.of(spec.convention(), spec.dataset().table(), spec.predictionIds());
    List<List<Sample>> batches =
        model == null ? List.of() : JobSupport.batches(samples, model.batchSize());
    int partitions = partitions(spec.partitions(), model == null ? samples.size() : batches.size());
    JavaSparkContext jsc = jsc();
    LongAccumulator done = images();
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
      try (ProgressLine line = progress(samples.size())) {
        total =
            results.treeAggregate(
                new EvalAggregate(space.size()), EvalAggregate::add, EvalAggregate::merge);
      }
      List<ImageError> errors = sortedOrFail(concat(listed, total.errors), listing.ids());
      checkInvariant(total);
      String kind = PredictionIdCheck.mismatch(space, total.matrix);
      if (kind != null) {
        throw new InvalidInputException(
            model == null ? spec.predictions().toString() : model.model(), kind);
      }
      writePerImage(results, space, staging, samples.size());
      SemanticScores scores =
          SemanticMetrics.compute(space, total.matrix, withInstances ? total.instances : null);
      SemanticReport report = report(space, scores, total, errors, partitions);
      ReportFiles.write(report, worstImages(results, space), staging);
      return new EvaluateResult(report, spec.out());
    } finally {
      results.unpersist(false);
    }
  }

  /** Images shown in report.html: the lowest per-image mIoU, as in per_image.parquet. */
  static final int WORST_SHOWN = 10;

  private static List<WorstImage> worstImages(JavaRDD<ImageResult> results, EvalSpace space) {
    int image = PerImageRow.SCHEMA.fieldIndex("image");
    int miou = PerImageRow.SCHEMA.fieldIndex("meanIoU");
    int acc = PerImageRow.SCHEMA.fieldIndex("pixelAccuracy");
    Comparator<Tuple3<String, Double, Double>> byIoU =
        (Comparator<Tuple3<String, Double, Double>> & Serializable)
            (a, b) -> {
              int c = Double.compare(a._2(), b._2());
              return c != 0 ? c : a._1().compareTo(b._1());
            };
    return results
        .filter(r -> r.error() == null)
        .map(r -> PerImageRow.of(r, space))
        .filter(r -> !r.isNullAt(miou))
        .map(r -> new Tuple3<>(r.getString(image), r.getDouble(miou), (Double) r.get(acc)))
        .takeOrdered(WORST_SHOWN, byIoU)
        .stream()
        .map(t -> new WorstImage(t._1(), t._2(), t._3()))
        .toList();
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
      int partitions) {
    Map<String, Object> run =
        JobSupport.runFacts(
            spark(),
            startNanos(),
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
    JobSupport.writePerImage(
        results.map(r -> PerImageRow.of(r, space)), PerImageRow.SCHEMA, dir, samples);
  }
}
