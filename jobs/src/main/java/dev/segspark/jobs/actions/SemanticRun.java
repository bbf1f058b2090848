package dev.segspark.jobs.actions;

import dev.segspark.evaluation.InvalidInputException;
import dev.segspark.evaluation.metrics.EvalSpace;
import dev.segspark.evaluation.metrics.PredictionIdCheck;
import dev.segspark.evaluation.metrics.SemanticMetrics;
import dev.segspark.evaluation.metrics.SemanticScores;
import dev.segspark.evaluation.report.DatasetInfo;
import dev.segspark.evaluation.report.ImageError;
import dev.segspark.evaluation.report.ReportFiles;
import dev.segspark.evaluation.report.SemanticReport;
import dev.segspark.evaluation.report.WorstImage;
import dev.segspark.jobs.data.DatasetSpec;
import dev.segspark.udfs.model.ModelSpec;
import dev.segspark.udfs.partition.ImageResult;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple3;

/**
 * The second half of a semantic evaluation, whatever listed the samples (a dataset's folders for
 * {@link EvaluateAction}, a table's rows for {@link EvaluateTableAction}): tree-aggregate the
 * per-image counts, apply the error policy, check the invariants, derive the scores on the driver
 * and write the report set into the staging folder.
 *
 * @param dataset the dataset (name, root and split as the report shows them)
 * @param space the matrix space
 * @param withInstances whether instance counts make iIoU
 * @param listed errors found before any task ran (missing files, ...)
 * @param samples the samples the tasks evaluate
 * @param images the images the run covers (the denominator of the all-failed rule)
 * @param partitions the Spark partitions
 * @param predictions what the predictions are, for a prediction-ids mismatch error
 * @param model the model that predicted, or {@code null}
 */
record SemanticRun(
    DatasetSpec dataset,
    EvalSpace space,
    boolean withInstances,
    List<ImageError> listed,
    int samples,
    int images,
    int partitions,
    String predictions,
    ModelSpec model) {

  /** Images shown in report.html: the lowest per-image mIoU, as in per_image.parquet. */
  static final int WORST_SHOWN = 10;

  /** Aggregates {@code perImage}, writes the reports into {@code staging}, and returns them. */
  EvaluateResult finish(
      BaseAction<?, ?, ?> action, JavaRDD<ImageResult> perImage, Path staging, Path out) {
    JavaRDD<ImageResult> results = perImage.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      EvalAggregate total;
      try (ProgressLine line = action.progress(samples)) {
        total =
            results.treeAggregate(
                new EvalAggregate(space.size()), EvalAggregate::add, EvalAggregate::merge);
      }
      List<ImageError> errors = action.sortedOrFail(concat(listed, total.errors), images);
      checkInvariant(total);
      String kind = PredictionIdCheck.mismatch(space, total.matrix);
      if (kind != null) {
        throw new InvalidInputException(predictions, kind);
      }
      writePerImage(results, space, staging, samples);
      SemanticScores scores =
          SemanticMetrics.compute(space, total.matrix, withInstances ? total.instances : null);
      SemanticReport report = report(action, scores, total, errors);
      ReportFiles.write(report, worstImages(results, space), staging);
      return new EvaluateResult(report, out);
    } finally {
      results.unpersist(false);
    }
  }

  static List<ImageError> concat(List<ImageError> a, List<ImageError> b) {
    List<ImageError> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

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

  private static void checkInvariant(EvalAggregate total) {
    long counted = total.matrix.total() + total.matrix.ignored();
    if (counted != total.pixels) {
      throw new IllegalStateException(
          "Confusion matrix holds " + counted + " pixels but " + total.pixels + " were read");
    }
  }

  private SemanticReport report(
      BaseAction<?, ?, ?> action,
      SemanticScores scores,
      EvalAggregate total,
      List<ImageError> errors) {
    Map<String, Object> run =
        JobSupport.runFacts(
            action.spark(),
            action.startNanos(),
            total.images,
            errors.size(),
            partitions,
            total.decodeNanos,
            total.metricsNanos);
    run.put("pixels", total.pixels);
    run.put("predictionIds", space.predictionIds().name());
    if (model != null) {
      JobSupport.putModelFacts(run, model, total.modelTimes, total.images);
    }
    DatasetInfo info =
        new DatasetInfo(
            dataset.name(),
            dataset.root().toAbsolutePath().toString(),
            dataset.split(),
            total.images);
    return new SemanticReport(info, scores, space.indexIds(), total.matrix, errors, run);
  }

  private static void writePerImage(
      JavaRDD<ImageResult> results, EvalSpace space, Path dir, int samples) {
    JobSupport.writePerImage(
        results.map(r -> PerImageRow.of(r, space)), PerImageRow.SCHEMA, dir, samples);
  }
}
